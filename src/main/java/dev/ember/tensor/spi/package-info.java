/** The backend interface: the small primitive set a device implements. */
package dev.ember.tensor.spi;

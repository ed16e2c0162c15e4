/** Tensor, dtypes, devices, layouts and every tensor op, each with its backward rule. */
package dev.ember.tensor;

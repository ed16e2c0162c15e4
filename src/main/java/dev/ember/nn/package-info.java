/** Modules, layers, functional and losses with PyTorch's names, state_dict keys and defaults. */
package dev.ember.nn;

/** Optimizers, learning-rate schedulers and gradient clipping, with PyTorch's update rules and state_dict layout. */
package dev.ember.optim;

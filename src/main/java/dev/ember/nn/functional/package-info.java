/**
 * {@code torch.nn.functional} ({@link dev.ember.nn.functional.F}): activations, convolution and pooling built on
 * the backend's window primitives, normalisation, dropout, embedding, padding and every loss, each with
 * PyTorch's semantics, grad_fn names and messages.
 */
package dev.ember.nn.functional;

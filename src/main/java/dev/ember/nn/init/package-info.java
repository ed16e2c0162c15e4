/** {@code torch.nn.init}: in-place initialisers with PyTorch's fan and gain rules. */
package dev.ember.nn.init;

/** {@code torch.nn.utils}: gradient clipping ({@link dev.ember.nn.utils.ClipGrad}). */
package dev.ember.nn.utils;

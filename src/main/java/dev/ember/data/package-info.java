/**
 * Feeding training loops, as {@code torch.utils.data}: a {@link dev.ember.data.Dataset} of samples, a
 * {@link dev.ember.data.TensorDataset} over tensors sharing their first dimension, and a
 * {@link dev.ember.data.DataLoader} that yields shuffled (with a seeded generator) or ordered batches.
 * Uses only the core ({@code dev.ember.tensor}).
 */
package dev.ember.data;

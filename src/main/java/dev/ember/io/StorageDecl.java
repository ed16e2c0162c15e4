package dev.ember.io;

import dev.ember.tensor.DType;

/**
 * A storage as a pickle's persistent id declares it: record key, element type, element count and the
 * device it was saved from (informational: Ember loads to the CPU, like {@code map_location='cpu'}).
 * A null dtype is a {@code torch.storage.UntypedStorage} whose numel counts bytes until a
 * {@code _rebuild_tensor_v3} gives it a type.
 */
record StorageDecl(String key, DType dtype, long numel, String location) {
    long nbytes() { return dtype == null ? numel : numel * dtype.itemSize(); }
}

package dev.ember.tensor.spi;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;

/**
 * A typed buffer on one device, shared by every view of it. It carries the version counter that
 * in-place operations bump, so autograd can tell when a tensor saved for backward was modified
 * (PyTorch shares one counter between a tensor and its views for the same reason).
 */
public abstract class Storage {
    private final DType dtype;
    private final int size;
    private int version;

    protected Storage(DType dtype, int size) {
        this.dtype = dtype;
        this.size = size;
    }

    public final DType dtype() { return dtype; }

    /** Number of elements. */
    public final int size() { return size; }

    public abstract Device device();

    public abstract Backend backend();

    public final int version() { return version; }

    public final void bumpVersion() { version++; }
}

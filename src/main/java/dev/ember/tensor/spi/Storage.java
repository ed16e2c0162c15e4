package dev.ember.tensor.spi;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.MemoryScope;

/**
 * A typed buffer on one device, shared by every view of it. It carries the version counter that
 * in-place operations bump, so autograd can tell when a tensor saved for backward was modified
 * (PyTorch shares one counter between a tensor and its views for the same reason).
 *
 * <p>A storage created while a {@link MemoryScope} is open on the thread belongs to that scope, which
 * {@linkplain #release() releases} it when it closes unless it was kept.
 */
public abstract class Storage {
    private final DType dtype;
    /** Grows only through {@link #resize} ({@code resize_}). */
    private int size;
    private int version;
    private boolean released;

    protected Storage(DType dtype, int size) {
        this.dtype = dtype;
        this.size = size;
        MemoryScope.adopt(this);
    }

    public final DType dtype() { return dtype; }

    /** Number of elements. */
    public final int size() { return size; }

    public abstract Device device();

    /**
     * Grows this storage to {@code size} elements for {@code resize_}, keeping its contents; every tensor over it sees
     * the new memory. Memory the storage does not own (a caller's array) cannot move, as PyTorch's from_numpy cannot.
     */
    public final void resize(int size) {
        if (!resizable()) throw new IllegalStateException("Trying to resize storage that is not resizable");
        reallocate(size);
        this.size = size;
    }

    /** Whether {@link #reallocate} may move this storage; a backend's storage that cannot grow keeps the default. */
    protected boolean resizable() { return false; }

    /** Moves the contents to new memory of {@code size} elements; those beyond the old size are unspecified. */
    protected void reallocate(int size) { throw new UnsupportedOperationException("reallocate on a storage that is not resizable"); }

    public abstract Backend backend();

    public final int version() { return version; }

    public final void bumpVersion() { version++; }

    /**
     * Gives this storage's memory back for reuse. Every tensor over it is dead from then on: reading or writing
     * it throws instead of seeing memory another tensor now owns. Idempotent.
     */
    public final void release() {
        if (released) return;
        released = true;
        free();
    }

    public final boolean isReleased() { return released; }

    /** Hands the memory back (to a pool, to the device allocator) and makes every later access throw. */
    protected abstract void free();

    /** What a use after {@link #release()} throws. */
    public static IllegalStateException releasedError() {
        return new IllegalStateException("this tensor's memory was released when the MemoryScope it was created in closed; "
                + "keep() the tensors that must outlive their scope");
    }
}

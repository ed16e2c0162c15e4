package dev.ember.tensor;

/**
 * The order a copy lays its elements out in ({@code torch.memory_format}): {@link #PRESERVE} keeps the source's
 * (a transposed tensor's clone is transposed), {@link #CONTIGUOUS} is row-major.
 */
public enum MemoryFormat {
    /** {@code torch.preserve_format}, {@code clone()}'s default. */
    PRESERVE,
    /** {@code torch.contiguous_format}: row-major, what {@code contiguous()} gives. */
    CONTIGUOUS
}

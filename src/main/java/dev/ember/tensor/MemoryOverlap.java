package dev.ember.tensor;

/**
 * PyTorch's memory-overlap checks for ops that write into an existing tensor (in-place ops, {@code copy_},
 * {@code out=}). Writing through an expanded tensor, or reading an input that overlaps the written elements
 * at other positions, would make the result depend on the loop order, so PyTorch refuses both with these
 * messages. Like PyTorch, only the cases it can decide from the layouts fail; stepped views that interleave
 * ({@code x[::2].add_(x[1::2])}) are allowed.
 */
final class MemoryOverlap {
    private MemoryOverlap() {}

    /** {@code assert_no_internal_overlap}: no two elements of {@code t} share a storage slot. */
    static void assertNoInternalOverlap(Tensor t) {
        Layout l = t.layout();
        if (l.isNonOverlappingAndDense()) return;
        for (int i = 0; i < l.dim(); i++) {
            if (l.shape()[i] > 1 && l.strides()[i] == 0)
                throw new IllegalArgumentException("unsupported operation: more than one element of the written-to tensor refers to a single memory location. "
                        + "Please clone() the tensor before performing the operation.");
        }
    }

    /** {@code assert_no_partial_overlap}: {@code in} is either {@code out} itself (same elements, same order) or disjoint from it. */
    static void assertNoPartialOverlap(Tensor out, Tensor in) {
        if (isPartialOverlap(out, in))
            throw new IllegalArgumentException("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. "
                    + "Please clone() the tensor before performing the operation.");
    }

    private static boolean isPartialOverlap(Tensor a, Tensor b) {
        if (a == b || a.storage() != b.storage() || a.numel() == 0 || b.numel() == 0) return false;
        Layout la = a.layout(), lb = b.layout();
        if (!la.isNonOverlappingAndDense() || !lb.isNonOverlappingAndDense()) return false; // too hard to tell
        long aBegin = la.offset(), aEnd = aBegin + la.numel(), bBegin = lb.offset(), bEnd = bBegin + lb.numel();
        if (aBegin == bBegin && aEnd == bEnd) return !java.util.Arrays.equals(la.strides(), lb.strides());
        return aBegin < bEnd && bBegin < aEnd;
    }
}

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

    /**
     * Whether two elements of {@code t} may share a storage slot: false only when the layout proves they cannot (each
     * dim, by increasing stride, steps past everything the smaller ones span), true for an expanded or unfolded view.
     */
    static boolean mayOverlapItself(Tensor t) {
        Layout l = t.layout();
        if (t.numel() == 0 || l.isNonOverlappingAndDense()) return false;
        int[] shape = l.shape(), strides = l.strides();
        Integer[] dims = java.util.stream.IntStream.range(0, l.dim()).filter(d -> shape[d] > 1).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(dims, java.util.Comparator.comparingInt(d -> strides[d]));
        long span = 0;
        for (int d : dims) {
            if (strides[d] <= span) return true;
            span += (long) (shape[d] - 1) * strides[d];
        }
        return false;
    }

    /** {@code assert_no_partial_overlap}: {@code in} is either {@code out} itself (same elements, same order) or disjoint from it. */
    static void assertNoPartialOverlap(Tensor out, Tensor in) {
        if (status(out, in) == Status.PARTIAL) throw overlap();
    }

    /** {@code assert_no_overlap}, for ops that read {@code in} while they write {@code out} (scatter, index_fill_): disjoint only. */
    static void assertNoOverlap(Tensor out, Tensor in) {
        Status s = status(out, in);
        if (s == Status.PARTIAL || s == Status.FULL) throw overlap();
    }

    private static IllegalArgumentException overlap() {
        return new IllegalArgumentException("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. "
                + "Please clone() the tensor before performing the operation.");
    }

    private enum Status { NO, PARTIAL, FULL, TOO_HARD }

    /** {@code get_overlap_status}. */
    private static Status status(Tensor a, Tensor b) {
        if (a == b) return Status.FULL;
        if (a.numel() == 0 || b.numel() == 0) return Status.NO;
        Layout la = a.layout(), lb = b.layout();
        if (!la.isNonOverlappingAndDense() || !lb.isNonOverlappingAndDense()) return Status.TOO_HARD;
        if (a.storage() != b.storage()) return Status.NO;
        long aBegin = la.offset(), aEnd = aBegin + la.numel(), bBegin = lb.offset(), bEnd = bBegin + lb.numel();
        if (aBegin == bBegin && aEnd == bEnd) return java.util.Arrays.equals(la.strides(), lb.strides()) ? Status.FULL : Status.PARTIAL;
        return aBegin < bEnd && bBegin < aEnd ? Status.PARTIAL : Status.NO;
    }
}

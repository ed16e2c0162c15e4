package dev.ember.backend.cpu;

import dev.ember.tensor.Layout;

/**
 * Walks several operands of one shape together. Size-1 dims are dropped and dims that are contiguous
 * across all operands are merged, so most kernels see one long inner run per call ({@link Segment}),
 * which is where the vectorised loops apply.
 */
final class StridedIter {
    final int[] shape;
    final int[][] strides;
    final int[] base;
    final int numel;

    /** A run of {@code len} elements along the inner dim, starting at {@code offsets[k]} for operand k. */
    @FunctionalInterface
    interface Segment {
        void run(int[] offsets, int len);
    }

    StridedIter(int[] fullShape, Layout... layouts) {
        int ops = layouts.length;
        int n = fullShape.length;
        int[] sh = new int[n];
        int[][] st = new int[ops][n];
        int nd = 0;
        long count = 1;
        for (int d = 0; d < n; d++) {
            count *= fullShape[d];
            if (fullShape[d] == 1) continue;
            sh[nd] = fullShape[d];
            for (int k = 0; k < ops; k++) st[k][nd] = layouts[k].strides()[d];
            nd++;
        }
        // Merge dim d into d-1 when every operand steps over d-1 exactly as a contiguous extension of d.
        int m = 0;
        for (int d = 0; d < nd; d++) {
            if (m > 0) {
                boolean merge = true;
                for (int k = 0; k < ops && merge; k++) merge = st[k][m - 1] == st[k][d] * sh[d];
                if (merge) {
                    sh[m - 1] *= sh[d];
                    for (int k = 0; k < ops; k++) st[k][m - 1] = st[k][d];
                    continue;
                }
            }
            sh[m] = sh[d];
            for (int k = 0; k < ops; k++) st[k][m] = st[k][d];
            m++;
        }
        if (m == 0) {
            // a single element (0-dim or all size-1 dims): one run of length 1
            if (n == 0) {
                sh = new int[1];
                st = new int[ops][1];
            }
            sh[0] = 1;
            m = 1;
            for (int k = 0; k < ops; k++) st[k][0] = 0;
        }
        this.shape = java.util.Arrays.copyOf(sh, m);
        this.strides = new int[ops][];
        for (int k = 0; k < ops; k++) strides[k] = java.util.Arrays.copyOf(st[k], m);
        this.base = new int[ops];
        for (int k = 0; k < ops; k++) base[k] = layouts[k].offset();
        this.numel = (int) count;
    }

    /**
     * An iterator for work whose elements are independent of one another (elementwise ops, copies, fills), which may
     * visit them in the destination's memory order: the dims are first sorted by the last operand's strides, largest
     * first, so that a transposed result of a transposed input merges into one contiguous run instead of a walk with
     * a stride on every element.
     */
    static StridedIter inMemoryOrder(int[] shape, Layout... layouts) {
        int[] st = layouts[layouts.length - 1].strides();
        boolean descending = true;
        for (int d = 1; d < st.length; d++) descending &= Math.abs(st[d - 1]) >= Math.abs(st[d]);
        if (descending) return new StridedIter(shape, layouts);
        Integer[] order = new Integer[shape.length];
        for (int d = 0; d < order.length; d++) order[d] = d;
        java.util.Arrays.sort(order, (x, y) -> Integer.compare(Math.abs(st[y]), Math.abs(st[x]))); // stable
        int[] perm = new int[order.length], permuted = new int[order.length];
        for (int d = 0; d < perm.length; d++) {
            perm[d] = order[d];
            permuted[d] = shape[perm[d]];
        }
        Layout[] ls = new Layout[layouts.length];
        for (int k = 0; k < ls.length; k++) ls[k] = layouts[k].permute(perm);
        return new StridedIter(permuted, ls);
    }

    int inner() { return shape[shape.length - 1]; }

    int innerStride(int operand) { return strides[operand][shape.length - 1]; }

    /** True when there is one run covering everything (all dims merged). */
    boolean isSingleRun() { return shape.length == 1; }

    /** Calls {@code seg} for the runs covering flat elements [from, to). */
    void forEach(int from, int to, Segment seg) {
        if (from >= to) return;
        int nd = shape.length, ops = base.length;
        int[] idx = new int[nd];
        int[] off = base.clone();
        long rem = from;
        for (int d = nd - 1; d >= 0; d--) {
            idx[d] = (int) (rem % shape[d]);
            rem /= shape[d];
            for (int k = 0; k < ops; k++) off[k] += idx[d] * strides[k][d];
        }
        int inner = shape[nd - 1];
        int[] view = new int[ops];
        int pos = from;
        while (pos < to) {
            int len = Math.min(inner - idx[nd - 1], to - pos);
            System.arraycopy(off, 0, view, 0, ops);
            seg.run(view, len);
            pos += len;
            if (pos >= to) break;
            idx[nd - 1] += len;
            for (int k = 0; k < ops; k++) off[k] += len * strides[k][nd - 1];
            for (int d = nd - 1; d > 0 && idx[d] == shape[d]; d--) {
                idx[d] = 0;
                idx[d - 1]++;
                for (int k = 0; k < ops; k++) off[k] += strides[k][d - 1] - shape[d] * strides[k][d];
            }
        }
    }

    /** Runs all segments, in parallel when large. */
    void forEachParallel(Segment seg) {
        Parallel.forRange(numel, (from, to) -> forEach(from, to, seg));
    }
}

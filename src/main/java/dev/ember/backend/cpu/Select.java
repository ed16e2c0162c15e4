package dev.ember.backend.cpu;

import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.StdSortBy;
import dev.ember.tensor.spi.Strided;

/**
 * Order statistics along one dim: {@code median}/{@code nanmedian}, {@code kthvalue} and {@code mode}, each
 * choosing among equal elements the one PyTorch 1.13's CPU kernel chooses, since the index it returns is the
 * user-visible part of a tie. Lines are loaded as {@link Sort}'s long keys (NaN largest and all NaNs equal,
 * -0.0 == 0.0), and values are copied from the source by index, so they keep their exact bits.
 */
final class Select {
    private Select() {}

    /**
     * {@code median(dim)}: the first NaN when the line has one; otherwise the lower median, and among equal
     * elements the one a sort by (value, index) puts there. {@code nanmedian(dim)} ({@code ignoreNan}) takes the
     * lower median of the non-NaN elements; on a line of NaNs only, it returns the NaN {@code std::nth_element}
     * leaves in front, as PyTorch's comparator holds all NaNs equal there.
     */
    static void median(Strided src, int dim, boolean ignoreNan, Strided values, Strided indices) {
        Sort.forEachLine(src, dim, values, indices, (s, p, ss, size, v, vo, vs, x, xo, xs, buf) -> {
            Sort.load(s, p, ss, size, false, buf);
            long[] k = buf.keys;
            boolean floating = s.dtype().isFloatingPoint();
            int nans = 0, firstNan = -1;
            if (floating) for (int j = 0; j < size; j++) if (k[j] == Long.MAX_VALUE && nans++ == 0) firstNan = j;
            int pick;
            if (nans > 0 && !ignoreNan) pick = firstNan;
            else if (nans == size) {
                StdSort.nthElement(k, buf.idx, 0, 0, size);
                pick = buf.idx[0];
            } else pick = rankByIndex(k, size, (size - nans - 1) / 2, buf);
            ArgReduce.copy(s, p + pick * ss, v, vo);
            x.setLong(xo, pick);
        });
    }

    /**
     * {@code median()} over a whole tensor, given as a 1-D line in the order PyTorch's clone lays it out: the
     * element {@code std::nth_element} leaves in the middle (which of -0.0 and 0.0 that is depends on the
     * algorithm). A NaN makes the median NaN; {@code nanmedian} leaves NaNs out.
     */
    static void medianAll(Strided src, boolean ignoreNan, Strided value) {
        HostStorage s = Elementwise.host(src), v = Elementwise.host(value);
        int size = src.shape()[0];
        Sort.Buffers buf = new Sort.Buffers(size);
        Sort.load(s, src.layout().offset(), src.layout().strides()[0], size, false, buf);
        int nans = 0;
        if (s.dtype().isFloatingPoint()) for (int j = 0; j < size; j++) if (buf.keys[j] == Long.MAX_VALUE) nans++;
        if (nans > 0 && !ignoreNan) {
            v.setDouble(value.layout().offset(), Double.NaN);
            return;
        }
        int nth = (size - nans - 1) / 2;
        StdSort.nthElement(buf.keys, buf.idx, 0, nth, size);
        ArgReduce.copy(s, src.layout().offset() + buf.idx[nth] * src.layout().strides()[0], v, value.layout().offset());
    }

    /**
     * {@code kthvalue(k, dim)}: PyTorch's quick_select (Sedgewick's, from TH) over the line, NaN largest, so
     * that ties resolve to the index it leaves at position {@code k - 1}.
     */
    static void kthvalue(Strided src, int k, int dim, Strided values, Strided indices) {
        Sort.forEachLine(src, dim, values, indices, (s, p, ss, size, v, vo, vs, x, xo, xs, buf) -> {
            Sort.load(s, p, ss, size, false, buf);
            quickSelect(buf.keys, buf.idx, k - 1, size);
            ArgReduce.copy(s, p + buf.idx[k - 1] * ss, v, vo);
            x.setLong(xo, buf.idx[k - 1]);
        });
    }

    /**
     * {@code mode(dim)}: PyTorch sorts (value, index) pairs by value with {@code std::sort} and keeps the last
     * element of the first most frequent run, so the index among equal elements is where the sort leaves them.
     * A NaN never equals its neighbour there, so every NaN is a run of one; and PyTorch's comparator holds NaN
     * neither below nor above anything, so NaNs stay wherever that sort meets them, splitting runs: floating lines
     * take std::sort with that comparator (a NaN's key is Long.MAX_VALUE), which leaves them just there.
     */
    static void mode(Strided src, int dim, Strided values, Strided indices) {
        Sort.forEachLine(src, dim, values, indices, (s, p, ss, size, v, vo, vs, x, xo, xs, buf) -> {
            Sort.load(s, p, ss, size, false, buf);
            boolean floating = s.dtype().isFloatingPoint();
            long[] k;
            if (floating) {
                long[] key = buf.keys;
                StdSortBy.sort(buf.idx, 0, size, (a, b) -> key[a] < key[b] && key[b] != Long.MAX_VALUE);
                k = buf.tmpKeys();
                for (int j = 0; j < size; j++) k[j] = key[buf.idx[j]];
            } else {
                k = buf.keys;
                StdSort.sort(k, buf.idx, 0, size);
            }
            int best = 0, run = 0, most = 0;
            for (int j = 0; j < size; j++) {
                run++;
                if (j == size - 1 || k[j] != k[j + 1] || (floating && k[j] == Long.MAX_VALUE)) {
                    if (run > most) {
                        most = run;
                        best = buf.idx[j];
                    }
                    run = 0;
                }
            }
            ArgReduce.copy(s, p + best * ss, v, vo);
            x.setLong(xo, best);
        });
    }

    /** The index of the element at rank {@code nth} in (key, index) order, in O(n): PyTorch's median comparator. */
    private static int rankByIndex(long[] k, int size, int nth, Sort.Buffers buf) {
        long[] tk = buf.tmpKeys();
        int[] ti = buf.tmpIdx();
        System.arraycopy(k, 0, tk, 0, size);
        System.arraycopy(buf.idx, 0, ti, 0, size);
        StdSort.nthElement(tk, ti, 0, nth, size);
        long kv = tk[nth];
        int below = 0;
        for (int j = 0; j < size; j++) if (k[j] < kv) below++;
        for (int j = 0, seen = 0; j < size; j++) if (k[j] == kv && seen++ == nth - below) return j;
        throw new IllegalStateException("median rank not found");
    }

    /** PyTorch's quick_select_template with {@code gt_or_nan} as {@code >} on the keys, moving payloads along. */
    static void quickSelect(long[] a, int[] ix, int k, int n) {
        int lo = 0, hi = n - 1;
        while (true) {
            if (hi <= lo) return;
            if (hi == lo + 1) {
                if (a[lo] > a[hi]) swap(a, ix, lo, hi);
                return;
            }
            swap(a, ix, (lo + hi) >>> 1, lo + 1);
            if (a[lo + 1] > a[hi]) swap(a, ix, lo + 1, hi);
            if (a[lo] > a[hi]) swap(a, ix, lo, hi);
            if (a[lo + 1] > a[lo]) swap(a, ix, lo + 1, lo);
            int i = lo + 1, j = hi;
            long piv = a[lo];
            while (true) {
                do i++; while (piv > a[i]);
                do j--; while (a[j] > piv);
                if (j < i) break;
                swap(a, ix, i, j);
            }
            swap(a, ix, lo, j);
            if (j <= k) lo = i;
            if (j >= k) hi = j - 1;
        }
    }

    private static void swap(long[] a, int[] ix, int i, int j) {
        long t = a[i];
        a[i] = a[j];
        a[j] = t;
        int u = ix[i];
        ix[i] = ix[j];
        ix[j] = u;
    }
}

package dev.ember.backend.cpu;

import dev.ember.tensor.spi.Strided;

/**
 * The order in which PyTorch 1.13's TensorIterator hands a reduction to its kernel, for {@link CascadeSum}: the
 * iteration dims sorted as {@code reorder_dimensions} sorts them for a reduction (the reduced dims first, by the
 * input's strides, then the kept dims by the output's), then merged where {@code coalesce_dimensions} merges them.
 * The kernel sees the first two dims as one 2-d loop and the rest as an outer loop, so the grouping of a sum's terms,
 * and with it the bits of a float sum, follows from this order.
 */
final class SumOrder {
    final int[] shape;
    /** Element strides of the source and of the output (0 along reduced dims), per iteration dim. */
    final int[] in, out;

    private SumOrder(int[] shape, int[] in, int[] out) {
        this.shape = shape;
        this.in = in;
        this.out = out;
    }

    /**
     * The iteration of reducing {@code src} over {@code dims} into {@code dst} (dst has src's rank, size 1 along dims).
     * Size-1 dims are left out: TensorIterator merges them into a neighbour whatever their strides.
     */
    static SumOrder of(Strided src, int[] dims, Strided dst) {
        int[] shape = src.shape(), ss = src.layout().strides(), ds = dst.layout().strides();
        boolean[] red = new boolean[shape.length];
        for (int d : dims) red[d] = true;
        int n = 0;
        for (int s : shape) if (s != 1) n++;
        int[] sh = new int[n], in = new int[n], out = new int[n];
        // TensorIterator starts from the reversed dims (innermost first) and insertion-sorts them
        for (int d = shape.length - 1, k = 0; d >= 0; d--) {
            if (shape[d] == 1) continue;
            sh[k] = shape[d];
            in[k] = ss[d];
            out[k++] = red[d] ? 0 : ds[d];
        }
        for (int i = 1; i < n; i++) {
            for (int d0 = i - 1, d1 = i; d0 >= 0; d0--) {
                int c = compare(sh, in, out, d0, d1);
                if (c > 0) {
                    swap(sh, d0, d1);
                    swap(in, d0, d1);
                    swap(out, d0, d1);
                    d1 = d0;
                } else if (c < 0) {
                    break;
                }
                // an undecided comparison leaves d1 where it is and goes on to the next d0, as PyTorch's sort does
            }
        }
        int m = 0;
        for (int d = 0; d < n; d++) {
            if (m > 0 && (long) sh[m - 1] * in[m - 1] == in[d] && (long) sh[m - 1] * out[m - 1] == out[d]) {
                sh[m - 1] *= sh[d];
                continue;
            }
            sh[m] = sh[d];
            in[m] = in[d];
            out[m++] = out[d];
        }
        return new SumOrder(java.util.Arrays.copyOf(sh, m), java.util.Arrays.copyOf(in, m), java.util.Arrays.copyOf(out, m));
    }

    /** PyTorch's should_swap for a reduction: the output's strides first, where a reduced dim (stride 0) goes before a kept one. */
    private static int compare(int[] sh, int[] in, int[] out, int d0, int d1) {
        int o0 = out[d0], o1 = out[d1];
        if ((o0 == 0) != (o1 == 0)) return o1 == 0 ? 1 : -1;
        int c = compare(sh, o0, o1, d0, d1);
        if (c == 2) c = compare(sh, in[d0], in[d1], d0, d1);
        return c == 2 ? 0 : c;
    }

    /** One operand's verdict: -1 or 1, or 2 when it cannot tell (a broadcast dim, or equal strides and sizes in order). */
    private static int compare(int[] sh, int s0, int s1, int d0, int d1) {
        if (s0 == 0 || s1 == 0) return 2;
        if (s0 != s1) return s0 < s1 ? -1 : 1;
        return sh[d0] > sh[d1] ? 1 : 2;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    int dims() { return shape.length; }

    /** The number of positions of the dims from {@code from} on. */
    int positionsFrom(int from) {
        int n = 1;
        for (int d = from; d < shape.length; d++) n *= shape[d];
        return n;
    }

    /** Whether every dim from {@code from} on is kept, so that its positions write distinct outputs. */
    boolean keptFrom(int from) {
        for (int d = from; d < shape.length; d++) if (out[d] == 0) return false;
        return true;
    }
}

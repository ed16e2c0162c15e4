package dev.ember.tensor;

import java.util.Arrays;

/**
 * Shape, strides (in elements) and offset into a storage. Views are pure layout arithmetic: every
 * method here returns a new layout over the same storage.
 */
public record Layout(int[] shape, int[] strides, int offset) {

    public static Layout contiguous(int... shape) {
        return new Layout(shape.clone(), Shape.contiguousStrides(shape), 0);
    }

    /**
     * The layout PyTorch gives a new result of {@code shape} computed element by element from {@code inputs}
     * (TensorIterator's rule): a transposed input gives a transposed result, so {@code (x.t() + 1).stride()} is
     * {@code x.t().stride()}.
     * <ul>
     * <li>When every input has the result's shape and all are contiguous, or all dense with the same strides, the
     *     result takes those strides.</li>
     * <li>Otherwise the result is dense with its dims ordered by the inputs' strides, the first input deciding and
     *     the later ones breaking its ties; a broadcast dim (stride 0) has no say.</li>
     * </ul>
     */
    public static Layout following(int[] shape, Layout... inputs) {
        boolean sameShape = true, contiguous = true;
        for (Layout l : inputs) {
            sameShape &= Arrays.equals(l.shape, shape);
            contiguous &= l.isContiguous();
        }
        if (sameShape && contiguous) return contiguous(shape); // the common case: nothing else to look at
        // TensorIterator's next fast path: 4-d inputs that are all channels-last (size-1 dims aside) give a
        // channels-last result, e.g. exp() of a [1, 4, 3, 1] tensor with strides [1, 1, 4, 1] has [12, 1, 4, 4]
        boolean channelsLast = sameShape && shape.length == 4;
        for (Layout l : inputs) channelsLast = channelsLast && l.isChannelsLastContiguous();
        if (channelsLast) return channelsLast(shape);
        boolean sameDense = sameShape;
        for (Layout l : inputs) sameDense = sameDense && Arrays.equals(l.strides, inputs[0].strides) && l.isNonOverlappingAndDense();
        if (sameDense) return new Layout(shape.clone(), inputs[0].strides.clone(), 0);
        int n = shape.length;
        int[][] st = new int[inputs.length][];
        for (int k = 0; k < inputs.length; k++) st[k] = broadcastStrides(inputs[k], shape);
        int[] perm = memoryOrder(shape, st);
        boolean rowMajor = true;
        for (int i = 0; i < n; i++) rowMajor &= perm[i] == n - 1 - i;
        if (rowMajor) return contiguous(shape);
        int[] strides = new int[n];
        int next = 1;
        for (int i = 0; i < n; i++) {
            strides[perm[i]] = next;
            next *= shape[perm[i]];
        }
        return new Layout(shape.clone(), strides, 0);
    }

    /** {@code is_contiguous(memory_format=torch.channels_last)} of a 4-d layout: dims C, W, H, N dense in that order. */
    boolean isChannelsLastContiguous() {
        if (shape.length != 4) return false;
        int expected = 1;
        for (int d : new int[] {1, 3, 2, 0}) {
            if (shape[d] == 1) continue;
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /**
     * c10's {@code is_channels_last_strides_2d} ({@code suggest_memory_format} is channels_last): a 4-d layout whose
     * strides grow over C, W, H, N; the ambiguous cases (a size-0 dim, C of stride 0, N111 with equal strides) are
     * not, and a size-1 dim's stride only has to keep the order.
     */
    boolean isStridesLikeChannelsLast() {
        if (shape.length != 4 || strides[1] == 0) return false;
        long min = 0;
        for (int d : new int[] {1, 3, 2, 0}) {
            if (shape[d] == 0 || strides[d] < min) return false;
            if (d == 0 && min == strides[1]) return false;
            min = (long) strides[d] * (shape[d] > 1 ? shape[d] : 1);
        }
        return true;
    }

    /** The channels-last strides of a 4-d shape (N, C, H, W laid out as N, H, W, C; a 0 size gives 0 strides, as in PyTorch). */
    static Layout channelsLast(int[] shape) {
        int[] st = new int[4];
        int next = 1;
        for (int d : new int[] {1, 3, 2, 0}) {
            st[d] = next;
            next *= shape[d];
        }
        return new Layout(shape.clone(), st, 0);
    }

    /**
     * The layout of a copy that keeps {@code l}'s memory order, as {@code clone()} and the {@code *_like} factories
     * make it (PyTorch's preserve_format): {@code l}'s own strides when it is dense, otherwise dense in the order of
     * its strides.
     */
    public static Layout preserving(Layout l) {
        if (l.isNonOverlappingAndDense()) return new Layout(l.shape.clone(), l.strides.clone(), 0);
        int n = l.shape.length;
        int[] perm = memoryOrder(l.shape, new int[][] {l.strides});
        int[] strides = new int[n];
        int next = 1;
        for (int i = 0; i < n; i++) {
            strides[perm[i]] = next;
            next *= Math.max(l.shape[perm[i]], 1);
        }
        return new Layout(l.shape.clone(), strides, 0);
    }

    /**
     * The order in which a TensorIterator over operands broadcast to {@code shape} visits the dims, fastest first:
     * what decides which write lands last when several elements go to one place (index_put_ with duplicates).
     */
    static int[] iterationOrder(int[] shape, Layout... operands) {
        int[][] st = new int[operands.length][];
        for (int k = 0; k < operands.length; k++) st[k] = broadcastStrides(operands[k], shape);
        return memoryOrder(shape, st);
    }

    /**
     * The dims from the fastest-moving ({@code [0]}) to the slowest: row-major order insertion-sorted by the operands'
     * strides, where a pair no operand orders keeps its place, so ties stay row-major.
     */
    static int[] memoryOrder(int[] shape, int[][] st) {
        int n = shape.length;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = n - 1 - i;
        for (int i = 1; i < n; i++) {
            for (int d0 = i - 1, d1 = i; d0 >= 0; d0--) {
                int c = strideOrder(perm[d0], perm[d1], st, shape);
                if (c < 0) break;
                if (c > 0) {
                    int swap = perm[d0];
                    perm[d0] = perm[d1];
                    perm[d1] = swap;
                    d1 = d0;
                }
            }
        }
        return perm;
    }

    /** {@code l}'s strides seen from the broadcast {@code shape}: 0 for dims it lacks or stretches from size 1. */
    private static int[] broadcastStrides(Layout l, int[] shape) {
        int n = shape.length, lead = n - l.shape.length;
        int[] st = new int[n];
        for (int i = 0; i < l.shape.length; i++) st[lead + i] = l.shape[i] == 1 && shape[lead + i] != 1 ? 0 : l.strides[i];
        return st;
    }

    /** 1 when dim {@code d0} should move after {@code d1} (it steps further), -1 when before, 0 when no operand says. */
    private static int strideOrder(int d0, int d1, int[][] st, int[] shape) {
        for (int[] s : st) {
            if (s[d0] == 0 || s[d1] == 0) continue;
            if (s[d0] != s[d1]) return s[d0] < s[d1] ? -1 : 1;
            // equal strides (size-1 dims): the smaller dim goes first
            if (shape[d0] > shape[d1]) return 1;
        }
        return 0;
    }

    public int dim() { return shape.length; }

    public int size(int d) { return shape[Shape.wrapDim(d, shape.length)]; }

    public int stride(int d) { return strides[Shape.wrapDim(d, shape.length)]; }

    public int numel() { return Shape.numel(shape); }

    /**
     * Row-major dense with no gaps, as {@code is_contiguous()} (size-1 dims may have any stride). An empty tensor
     * is contiguous whatever its strides, wherever its size-0 dim is.
     */
    public boolean isContiguous() {
        for (int size : shape) if (size == 0) return true;
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /**
     * {@code is_non_overlapping_and_dense}: some order of the dims is contiguous, so the elements fill
     * {@code numel} consecutive storage slots exactly once (a transpose is, a stepped slice or an expand is not).
     */
    public boolean isNonOverlappingAndDense() {
        if (isContiguous()) return true; // the common case, without sorting
        Integer[] order = new Integer[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        // size-0/1 dims last: their strides do not matter, and the first one ends the walk
        Arrays.sort(order, (a, b) -> shape[a] < 2 || shape[b] < 2 ? Boolean.compare(shape[a] < 2, shape[b] < 2)
                : Integer.compare(strides[a], strides[b]));
        long expected = 1;
        for (int d : order) {
            if (shape[d] < 2) return true;
            if (strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** Contiguous and starting at offset 0 of a storage of exactly numel elements is checked by callers. */
    public boolean isContiguousFromZero() { return offset == 0 && isContiguous(); }

    /** Largest storage index this layout touches, plus one (0 for an empty tensor). */
    public long extent() {
        long hi = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) return 0;
            hi += (long) (shape[i] - 1) * strides[i];
        }
        return hi + 1;
    }

    public Layout permute(int... dims) {
        int n = shape.length;
        if (dims.length != n)
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = "
                    + n + " is not equal to len(dims) = " + dims.length);
        int[] s = new int[n], st = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int d = Shape.wrapDim(dims[i], n);
            if (seen[d]) throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            seen[d] = true;
            s[i] = shape[d];
            st[i] = strides[d];
        }
        return new Layout(s, st, offset);
    }

    public Layout transpose(int d0, int d1) {
        int n = shape.length;
        int a = Shape.wrapDim(d0, n), b = Shape.wrapDim(d1, n); // a 0-dim tensor takes dims 0 and -1, as PyTorch's
        if (n == 0) return this;
        int[] s = shape.clone(), st = strides.clone();
        s[a] = shape[b]; s[b] = shape[a];
        st[a] = strides[b]; st[b] = strides[a];
        return new Layout(s, st, offset);
    }

    /** {@code narrow(dim, start, length)} and slicing with a step: keeps every {@code step}-th element. */
    public Layout slice(int dim, int start, int end, int step) {
        int d = Shape.wrapDim(dim, shape.length);
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive");
        int len = end <= start ? 0 : (end - start + step - 1) / step;
        int[] s = shape.clone(), st = strides.clone();
        s[d] = len;
        st[d] = strides[d] * step;
        // an empty slice still starts at `start`, as PyTorch's storage_offset() shows
        return new Layout(s, st, offset + start * strides[d]);
    }

    /** {@code select(dim, index)}: drops the dimension. {@code index} must already be wrapped and in range. */
    public Layout select(int dim, int index) {
        int d = Shape.wrapDim(dim, shape.length);
        int[] s = new int[shape.length - 1], st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == d) continue;
            s[j] = shape[i];
            st[j++] = strides[i];
        }
        return new Layout(s, st, offset + index * strides[d]);
    }

    public Layout unsqueeze(int dim) {
        int d = Shape.wrapDim(dim, shape.length + 1);
        int[] s = new int[shape.length + 1], st = new int[shape.length + 1];
        for (int i = 0, j = 0; i <= shape.length; i++) {
            if (i == d) {
                s[i] = 1;
                st[i] = d < shape.length ? shape[d] * strides[d] : 1;
            } else {
                s[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        return new Layout(s, st, offset);
    }

    /** Removes the given size-1 dims (already wrapped); other dims listed are left alone, as in PyTorch. */
    public Layout squeeze(boolean[] drop) {
        int keep = 0;
        for (int i = 0; i < shape.length; i++) if (!(drop[i] && shape[i] == 1)) keep++;
        int[] s = new int[keep], st = new int[keep];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (drop[i] && shape[i] == 1) continue;
            s[j] = shape[i];
            st[j++] = strides[i];
        }
        return new Layout(s, st, offset);
    }

    /** Broadcasts to {@code target} by giving new or size-1 dims stride 0 ({@code expand}). */
    public Layout expand(int[] target) { return expand(target, DType.FLOAT32); }

    /** {@link #expand(int[])} for a tensor of {@code dtype}, which PyTorch's rank error names. */
    public Layout expand(int[] target, DType dtype) {
        int n = target.length;
        if (n < shape.length)
            throw new IllegalArgumentException("expand(" + dtype.cpuTypeString() + "{" + Shape.str(shape) + "}, size=" + Shape.str(target)
                    + "): the number of sizes provided (" + n + ") must be greater or equal to the number of dimensions in the tensor (" + shape.length + ")");
        // PyTorch's inferExpandGeometry takes a 0-dim tensor's target sizes as they are, all strides 0; only the
        // numel check then looks at them, so [0, -1] gives a tensor of negative size while [2, -1] fails
        if (shape.length == 0) {
            checkNumel(target);
            return new Layout(target.clone(), new int[n], offset);
        }
        int[] s = new int[n], st = new int[n];
        for (int i = n - 1, j = shape.length - 1; i >= 0; i--, j--) {
            int want = target[i];
            if (j >= 0) {
                if (want == -1) want = shape[j];
                if (shape[j] == want) {
                    s[i] = want;
                    st[i] = strides[j];
                } else if (shape[j] == 1) {
                    s[i] = want;
                    st[i] = 0;
                } else {
                    throw new IllegalArgumentException("The expanded size of the tensor (" + want + ") must match the existing size (" + shape[j]
                            + ") at non-singleton dimension " + i + ".  Target sizes: " + Shape.str(target) + ".  Tensor sizes: " + Shape.str(shape));
                }
            } else {
                if (want < 0) throw new IllegalArgumentException("The expanded size of the tensor (" + want + ") isn't allowed in a leading, non-existing dimension " + i);
                s[i] = want;
                // PyTorch's inferExpandGeometry: a new dim of size 1 strides over everything to its right, as if
                // it had been there all along (observable through stride(), and through the layout of results)
                st[i] = want != 1 || i + 1 == n ? 0 : s[i + 1] * st[i + 1];
            }
        }
        return new Layout(s, st, offset);
    }

    /**
     * c10's {@code safe_compute_numel}: the sizes multiplied as unsigned 64-bit numbers (so -1 is 2^64 - 1), failing
     * when a step overflows or the product passes int64's maximum; a 0 before any overflow makes the product 0.
     */
    private static void checkNumel(int[] sizes) {
        long prod = 1;
        boolean overflow = false;
        for (int v : sizes) {
            overflow |= Math.unsignedMultiplyHigh(prod, (long) v) != 0;
            prod *= v;
        }
        if (overflow || prod < 0) throw new IllegalArgumentException("numel: integer multiplication overflow");
    }

    /**
     * The layout of {@code view(newShape)} over the same storage, or null when the strides cannot express
     * it without a copy (PyTorch's {@code computeStride}: groups of dims that are contiguous among themselves
     * may be split or merged).
     */
    public Layout view(int[] newShape) {
        int numel = numel();
        // PyTorch's computeStride: an empty tensor viewed as its own shape keeps its (arbitrary) strides
        if (numel == 0 && Arrays.equals(shape, newShape)) return new Layout(newShape.clone(), strides.clone(), offset);
        if (numel == 0 || shape.length == 0) return new Layout(newShape.clone(), Shape.contiguousStrides(newShape), offset);
        int[] newStrides = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = strides[shape.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return new Layout(newShape.clone(), newStrides, offset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && offset == l.offset && Arrays.equals(shape, l.shape) && Arrays.equals(strides, l.strides);
    }

    @Override
    public int hashCode() { return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(strides)) + offset; }

    @Override
    public String toString() { return "Layout" + Shape.str(shape) + " strides=" + Shape.str(strides) + " offset=" + offset; }
}

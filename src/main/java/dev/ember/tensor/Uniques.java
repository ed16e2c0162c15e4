package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.StdSortBy;

/**
 * {@code torch.unique} and {@code torch.unique_consecutive} over the flattened input, as PyTorch 1.13's CPU kernels
 * compute them, quirks included: {@code unique} collects a {@code std::unordered_set} (so {@code sorted=False} gives
 * its iteration order, see {@link UnorderedSetOrder}) and sorts a copy of it; NaN never equals NaN, so each NaN is
 * its own element, and the hash maps that give inverse indices and counts never find a NaN (inverse 0, count 0).
 * Neither op is differentiable: a floating result gets a node whose backward fails with PyTorch's message.
 */
final class Uniques {
    private Uniques() {}

    static Tensor.Unique unique(Tensor t, boolean sorted, boolean returnInverse, boolean returnCounts) {
        checkKernel(t);
        HostStorage h = Creation.toHost(t);
        int n = t.numel();
        long[] hashes = new long[n];
        UnorderedSetOrder.Equality eq = equality(h, hashes);
        int[] representative = new int[n], order = new int[n];
        int k = UnorderedSetOrder.insertAll(hashes, eq, representative, order);
        int[] perm = new int[k];
        for (int i = 0; i < k; i++) perm[i] = i;
        // bool has a kernel of its own in PyTorch 1.13, which always gives false before true
        if (sorted || t.dtype() == DType.BOOL) {
            // std::sort of the set's elements with a bare <, false both ways for a NaN, which stays wherever it is met
            StdSortBy.Less less = t.dtype().isFloatingPoint() ? (a, b) -> h.getDouble(order[a]) < h.getDouble(order[b])
                    : (a, b) -> h.getLong(order[a]) < h.getLong(order[b]);
            StdSortBy.sort(perm, 0, k, less);
        }
        long[] positions = new long[k];
        int[] slot = new int[n]; // output index of each inserted position
        for (int i = 0; i < k; i++) {
            positions[i] = order[perm[i]];
            slot[order[perm[i]]] = i;
        }
        Tensor values;
        try (var g = GradMode.noGrad()) {
            values = t.detach().reshape(-1).indexSelect(0, Tensor.fromArray(positions, k).to(t.device()));
        }
        Tensor inverse = null, counts = null;
        if (returnInverse || returnCounts) {
            long[] inv = new long[n], cnt = new long[k];
            boolean floating = t.dtype().isFloatingPoint();
            for (int j = 0; j < n; j++) {
                if (floating && Double.isNaN(h.getDouble(j))) continue;
                inv[j] = slot[representative[j]];
                cnt[(int) inv[j]]++;
            }
            if (returnInverse) inverse = Creation.adopt(inv, t.layout().shape()).to(t.device());
            if (returnCounts) counts = Creation.adopt(cnt, k).to(t.device());
        }
        return new Tensor.Unique(notDifferentiable("Unique2Backward0", "_unique2", values, t), inverse, counts);
    }

    /** Consecutive runs of equal elements: a NaN starts a run of its own, as {@code !=} holds for it. */
    static Tensor.Unique uniqueConsecutive(Tensor t, boolean returnInverse, boolean returnCounts) {
        checkKernel(t);
        HostStorage h = Creation.toHost(t);
        int n = t.numel();
        UnorderedSetOrder.Equality eq = equality(h, new long[n]);
        long[] inv = new long[n], starts = new long[n];
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (j == 0 || !eq.test((int) starts[k - 1], j)) starts[k++] = j;
            inv[j] = k - 1;
        }
        long[] first = java.util.Arrays.copyOf(starts, k), cnt = new long[k];
        for (int i = 0; i < k; i++) cnt[i] = (i + 1 < k ? first[i + 1] : n) - first[i];
        Tensor values;
        try (var g = GradMode.noGrad()) {
            values = t.detach().reshape(-1).indexSelect(0, Tensor.fromArray(first, k).to(t.device()));
        }
        Tensor inverse = returnInverse ? Creation.adopt(inv, t.layout().shape()).to(t.device()) : null;
        Tensor counts = returnCounts ? Creation.adopt(cnt, k).to(t.device()) : null;
        return new Tensor.Unique(notDifferentiable("UniqueConsecutiveBackward0", "unique_consecutive", values, t), inverse, counts);
    }

    /**
     * {@code unique(dim=)} and {@code unique_consecutive(dim=)}: the distinct slices along {@code dim}, as 1.13's
     * _unique_dim_cpu_template finds them. It std::sorts the slices (unless consecutive) with a lexicographic
     * comparison in which a NaN element is neither less nor greater, so it defers to the next element; two slices
     * are one when every element is {@code ==} (never, with a NaN). The slices are rows of the input with dim
     * transposed to the front, and the values keep the strides of transposing the stacked rows back.
     */
    static Tensor.Unique uniqueDim(Tensor t, int dim, boolean consecutive, boolean returnInverse, boolean returnCounts) {
        if (t.dtype() == DType.FLOAT16) throw new IllegalArgumentException("\"" + (consecutive ? "unique" : "unique_dim") + "\" not implemented for 'Half'");
        if (t.dim() == 0) throw new IndexOutOfBoundsException("Dimension specified as " + dim + " but tensor has no dimensions");
        int d = Shape.wrapDim(dim, t.dim());
        int[] shape = t.layout().shape();
        int zeroDims = 0;
        for (int s : shape) if (s == 0) zeroDims++;
        String node = consecutive ? "UniqueConsecutiveBackward0" : "UniqueDimBackward0", op = consecutive ? "unique_consecutive" : "unique_dim";
        if (shape[d] == 0) {
            if (zeroDims != 1) throw new IllegalStateException("Number of zero sized dimensions is more than one, so unique cannot be applied ");
            Tensor none = Kernels.zeros(new int[] {0}, DType.INT64, t.device());
            return new Tensor.Unique(notDifferentiable(node, op, Kernels.empty(shape, t.dtype(), t.device()), t),
                    returnInverse ? none : null, returnCounts ? none : null);
        }
        if (zeroDims != 0) throw new IllegalStateException("There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
        int n = shape[d];
        Tensor flat;
        try (var g = GradMode.noGrad()) {
            flat = t.detach().transpose(d, 0).contiguous().reshape(n, -1);
        }
        HostStorage h = Creation.toHost(flat);
        int cols = t.numel() / n;
        SlotOrder order = slotOrder(h, cols);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        if (!consecutive) StdSortBy.sort(rows, 0, n, (a, b) -> order.compare(a, b) < 0);
        long[] kept = new long[n], inv = new long[n], cnt = new long[n];
        int k = 0, start = 0;
        kept[0] = rows[0];
        for (int p = 1; p < n; p++) {
            if (!order.equal(rows[p], (int) kept[k])) {
                cnt[k] = p - start;
                start = p;
                kept[++k] = rows[p];
            }
            inv[rows[p]] = k;
        }
        cnt[k++] = n - start;
        int[] moved = shape.clone(); // the slices stacked along the first dim of the transposed input
        moved[d] = shape[0];
        moved[0] = k;
        Tensor values;
        try (var g = GradMode.noGrad()) {
            Tensor stacked = flat.indexSelect(0, Tensor.fromArray(java.util.Arrays.copyOf(kept, k), k).to(t.device()));
            // a fresh tensor, not a view: autograd knows only the unique op's node
            values = Tensor.of(stacked.storage(), Layout.contiguous(moved)).transpose(0, d);
            values = Tensor.of(values.storage(), values.layout());
        }
        Tensor inverse = returnInverse ? Creation.adopt(inv, n).to(t.device()) : null;
        Tensor counts = returnCounts ? Creation.adopt(java.util.Arrays.copyOf(cnt, k), k).to(t.device()) : null;
        return new Tensor.Unique(notDifferentiable(node, op, values, t), inverse, counts);
    }

    /** Lexicographic order and equality of the rows of a contiguous (rows, cols) host tensor, with C++'s NaN rules. */
    private interface SlotOrder {
        int compare(int a, int b);

        boolean equal(int a, int b);
    }

    private static SlotOrder slotOrder(HostStorage h, int cols) {
        boolean floating = h.dtype().isFloatingPoint();
        return new SlotOrder() {
            public int compare(int a, int b) {
                for (int c = 0; c < cols; c++) {
                    int r = floating ? cmp(h.getDouble(a * cols + c), h.getDouble(b * cols + c)) : Long.compare(h.getLong(a * cols + c), h.getLong(b * cols + c));
                    if (r != 0) return r;
                }
                return 0;
            }

            public boolean equal(int a, int b) {
                for (int c = 0; c < cols; c++)
                    if (floating ? h.getDouble(a * cols + c) != h.getDouble(b * cols + c) : h.getLong(a * cols + c) != h.getLong(b * cols + c)) return false;
                return true;
            }
        };
    }

    /** C++'s {@code <} then {@code >}: a NaN is neither, so the comparison goes on to the next element. */
    private static int cmp(double x, double y) { return x < y ? -1 : x > y ? 1 : 0; }

    /** PyTorch 1.13's unique kernels dispatch over all types but float16 (unique_consecutive names itself "unique" too). */
    private static void checkKernel(Tensor t) {
        if (t.dtype() == DType.FLOAT16) throw new IllegalArgumentException("\"unique\" not implemented for 'Half'");
    }

    /** The C++ element type's {@code ==}, filling in its {@code std::hash} (bfloat16 hashes its bits). */
    private static UnorderedSetOrder.Equality equality(HostStorage h, long[] hashes) {
        int n = hashes.length;
        switch (h.dtype()) {
            case FLOAT32 -> {
                float[] a = h.floats();
                for (int i = 0; i < n; i++) hashes[i] = UnorderedSetOrder.hashFloat(a[i]);
                return (i, j) -> a[i] == a[j];
            }
            case FLOAT64 -> {
                double[] a = h.doubles();
                for (int i = 0; i < n; i++) hashes[i] = UnorderedSetOrder.hashDouble(a[i]);
                return (i, j) -> a[i] == a[j];
            }
            case BFLOAT16 -> {
                short[] a = h.shorts();
                for (int i = 0; i < n; i++) hashes[i] = a[i] & 0xFFFF;
                return (i, j) -> h.getDouble(i) == h.getDouble(j);
            }
            default -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) a[i] = hashes[i] = h.getLong(i);
                return (i, j) -> a[i] == a[j];
            }
        }
    }

    private static Tensor notDifferentiable(String node, String op, Tensor out, Tensor input) {
        return Autograd.record(node, out, new Tensor[] {input}, new Tensor[0], c -> {
            throw new IllegalStateException("the derivative for '" + op + "' is not implemented.");
        });
    }
}

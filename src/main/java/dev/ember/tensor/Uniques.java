package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.HostStorage;

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
        long[] positions = new long[k];
        for (int i = 0; i < k; i++) positions[i] = order[i];
        Tensor values;
        int[] slot = new int[n]; // output index of each inserted position
        try (var g = GradMode.noGrad()) {
            values = t.detach().reshape(-1).indexSelect(0, Tensor.fromArray(positions, k).to(t.device()));
            // bool has a kernel of its own in PyTorch 1.13, which always gives false before true
            if (sorted || t.dtype() == DType.BOOL) {
                // std::sort of the set's elements: the backend's unstable sort is that algorithm (NaN aside: it sorts
                // NaN last, where PyTorch's comparator, false for NaN both ways, leaves it wherever the sort meets it)
                Tensor.ValuesIndices s = values.sort(0, false, false);
                values = s.values();
                long[] perm = s.indices().toLongArray();
                for (int i = 0; i < k; i++) slot[order[(int) perm[i]]] = i;
            } else {
                for (int i = 0; i < k; i++) slot[order[i]] = i;
            }
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
            if (returnInverse) inverse = Tensor.fromArray(inv, t.layout().shape()).to(t.device());
            if (returnCounts) counts = Tensor.fromArray(cnt, k).to(t.device());
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
        Tensor inverse = returnInverse ? Tensor.fromArray(inv, t.layout().shape()).to(t.device()) : null;
        Tensor counts = returnCounts ? Tensor.fromArray(cnt, k).to(t.device()) : null;
        return new Tensor.Unique(notDifferentiable("UniqueConsecutiveBackward0", "unique_consecutive", values, t), inverse, counts);
    }

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

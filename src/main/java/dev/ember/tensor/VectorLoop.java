package dev.ember.tensor;

/**
 * Which elements ATen's {@code cpu_kernel_vec} computes in its vectorized loop. Where a type's vector and scalar
 * kernels round differently (bfloat16 rsqrt rounds once as a vector, twice as a scalar), Ember has to know. TensorIterator
 * walks the dims in memory order, merging those that all operands step through contiguously into one inner run; when
 * the run is contiguous in every operand, blocks of two vectors from its start go vectorized and the rest element by
 * element. (A result above ATen's grain size is split between threads first, which starts new runs: not followed.)
 */
final class VectorLoop {
    private VectorLoop() {}

    /**
     * The vectorized part of a unary op from {@code in} into {@code out} (same shape) as one view of each, the merged run
     * cut to whole blocks of {@code block} elements as the last dim; null when nothing is vectorized.
     */
    static Layout[] vectorized(Layout in, Layout out, int block) {
        int[] shape = in.shape();
        int n = shape.length;
        int[] perm = Layout.memoryOrder(shape, new int[][] {in.strides(), out.strides()});
        int first = 0;
        while (first < n && shape[perm[first]] == 1) first++;
        if (first == n) return null; // a single element runs the scalar loop
        int d0 = perm[first];
        if (in.strides()[d0] != 1 || out.strides()[d0] != 1) return null;
        long run = shape[d0];
        boolean[] merged = new boolean[n];
        merged[d0] = true;
        for (int i = first + 1; i < n; i++) {
            int d = perm[i];
            if (shape[d] == 1) {
                merged[d] = true;
                continue;
            }
            if (in.strides()[d] != run || out.strides()[d] != run) break;
            merged[d] = true;
            run *= shape[d];
        }
        int whole = (int) (run / block * block);
        if (whole == 0) return null;
        int outer = 0;
        for (boolean m : merged) if (!m) outer++;
        int[] vs = new int[outer + 1], is = new int[outer + 1], os = new int[outer + 1];
        for (int d = 0, k = 0; d < n; d++) {
            if (merged[d]) continue;
            vs[k] = shape[d];
            is[k] = in.strides()[d];
            os[k++] = out.strides()[d];
        }
        vs[outer] = whole;
        is[outer] = 1;
        os[outer] = 1;
        return new Layout[] {new Layout(vs, is, in.offset()), new Layout(vs.clone(), os, out.offset())};
    }
}

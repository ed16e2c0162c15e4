package dev.ember.backend.cpu;

/**
 * A general matrix product on heap arrays with CBLAS row-major semantics, {@code C = op(A) · op(B)}
 * (alpha 1, beta 0): op(A) is m×k, op(B) is k×n, C is m×n. Without transposition element (i, p) of A is
 * {@code a[ao + i*lda + p]}; with it, {@code a[ao + p*lda + i]}. Callers handle empty and k = 0 products.
 *
 * <p>{@code parallel} false means the caller already runs several products side by side (small batched
 * products), so this one must stay on the calling thread.
 */
interface Gemm {
    String name();

    void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
               float[] c, int co, int ldc, boolean parallel);

    void dgemm(boolean transA, boolean transB, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
               double[] c, int co, int ldc, boolean parallel);
}

package dev.ember.tensor.spi;

/**
 * Which of PyTorch's CPU product kernels a matrix product stands for. Their sums are the same in exact arithmetic, but
 * in bfloat16 each rounds its own way (where, and with alpha and beta rounded or not), so a backend that matches
 * PyTorch's bfloat16 results needs to know which one ATen would have run.
 */
public enum ProductKernel {
    /** addmm's BLAS call (mm, addmm, and bmm/baddbmm batch by batch from 400 multiply-adds on). */
    GEMM,
    /** bmm's and baddbmm's own loop over batches of fewer than 400 multiply-adds. */
    BATCH_LOOP,
    /** gemv (mv, addmv) and dot. */
    GEMV
}

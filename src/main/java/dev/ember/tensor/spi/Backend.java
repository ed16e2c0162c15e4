package dev.ember.tensor.spi;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;

/**
 * The small primitive set a device implements (DESIGN.md §2). Every public tensor op is composed from
 * these in {@code dev.ember.tensor}, so a new backend implements only this interface.
 *
 * <p>Conventions: operands are {@link Strided} views that may be non-contiguous or broadcast (stride 0);
 * outputs are written through their layout, so an output may be a view (in-place ops, {@code out=}).
 * Operand dtypes are already equal where an op needs them equal: the op layer promotes and casts.
 * Backends are found with {@link java.util.ServiceLoader} and ranked by {@link #priority()}.
 */
public interface Backend {
    /** Short name used in config and logs: {@code cpu}, {@code cuda}. */
    String name();

    Device.Type deviceType();

    /** Higher wins when several backends serve a device type. */
    int priority();

    /** Null when usable here; otherwise why not, for the log line that explains a fallback. */
    String unavailableReason();

    /** New storage of {@code size} elements, zero-filled. */
    Storage allocate(DType dtype, int size, Device device);

    /**
     * New storage whose contents are unspecified (reused memory may hold old values), for an output the caller
     * overwrites entirely before anything reads it; saves {@link #allocate}'s zero-fill.
     */
    default Storage allocateEmpty(DType dtype, int size, Device device) { return allocate(dtype, size, device); }

    HostStorage toHost(Storage storage);

    Storage fromHost(HostStorage host, Device device);

    /** {@code dst[i] = (dst.dtype) src[i]} with PyTorch's cast rules; shapes equal (src may be broadcast). */
    void copy(Strided src, Strided dst);

    void fill(Strided dst, double value);

    /** Integer fill that keeps all 64 bits (a double would round int64 values above 2^53). */
    void fill(Strided dst, long value);

    void unary(UnaryOp op, Strided src, Strided dst);

    void binary(BinaryOp op, Strided a, Strided b, Strided dst);

    /** {@code dst = a + alpha * b} rounded once (a fused multiply-add); float32 or float64, all of one dtype, dst may be a. */
    void addScaled(Strided a, Strided b, double alpha, Strided dst);

    /** {@code dst = cond ? a : b}; cond is bool, a and b share dst's dtype. */
    void where(Strided cond, Strided a, Strided b, Strided dst);

    /**
     * Reduces {@code src} over {@code dims} (sorted, distinct) into {@code dst}, which has src's shape with
     * those dims set to 1. An empty reduction yields the op's identity (0, 1, -inf/+inf error upstream).
     */
    void reduce(ReduceOp op, Strided src, int[] dims, Strided dst);

    /**
     * Max or min along {@code dim} with the index of the first extreme element (NaN counts as the extreme);
     * values and indices have src's shape with {@code dim} set to 1; indices are int64.
     */
    void argReduce(ReduceOp op, Strided src, int dim, Strided values, Strided indices);

    /**
     * Batched matrix product {@code dst = beta * dst + alpha * (a @ b)}: a is [..., M, K], b is [..., K, N], dst is
     * [..., M, N], batch dims already equal (broadcast batches arrive with stride 0). The op layer composes the
     * scaling of the other dtypes itself and passes beta 0, alpha 1; only bfloat16 scales inside the product, whose
     * rounding follows {@code kernel}'s. With beta 0, dst's values are not read.
     */
    void matmul(Strided a, Strided b, Strided dst, double beta, double alpha, ProductKernel kernel);

    /** Inclusive scan along {@code dim}; src and dst have the same shape and dtype. */
    void scan(ScanOp op, Strided src, int dim, Strided dst);

    /** cummax / cummin ({@code op} MAX or MIN) along {@code dim} with int64 indices, all of src's shape: ties take the latest index. */
    void cumExtreme(ScanOp op, Strided src, int dim, Strided values, Strided indices);

    /**
     * Sorts along {@code dim} into values and int64 indices of src's shape. NaN sorts as the largest value.
     * Stable when asked; otherwise equal elements may land in any order (the CPU backend reproduces the
     * order PyTorch's CPU kernel leaves them in).
     */
    void sort(Strided src, int dim, boolean descending, boolean stable, Strided values, Strided indices);

    /**
     * The {@code k} largest (or smallest) elements along {@code dim} into values and int64 indices of src's
     * shape with {@code dim} set to k (0 <= k <= size, checked upstream). NaN counts as the largest value.
     * Sorted when asked, else in any order. A primitive of its own because selecting k is O(n), not a sort.
     */
    void topk(Strided src, int k, int dim, boolean largest, boolean sorted, Strided values, Strided indices);

    /**
     * {@code median(dim)} ({@code nanmedian} with {@code ignoreNan}) into values and int64 indices of src's shape
     * with {@code dim} set to 1: the lower median, the first NaN for median of a line holding one. Which of equal
     * elements is reported follows PyTorch's CPU kernel (see the CPU backend).
     */
    void median(Strided src, int dim, boolean ignoreNan, Strided values, Strided indices);

    /** {@code median()} of a 1-D src (the whole tensor in its clone's memory order) into the 0-dim {@code value}. */
    void medianAll(Strided src, boolean ignoreNan, Strided value);

    /** The k-th smallest element along {@code dim} (1 <= k <= size, checked upstream; NaN largest), as {@link #median}. */
    void kthvalue(Strided src, int k, int dim, Strided values, Strided indices);

    /** The most frequent value along {@code dim} and an index of it, as {@link #median} lays them out. */
    void mode(Strided src, int dim, Strided values, Strided indices);

    /** {@code dst[...][i][...] = src[...][index[...][i][...]][...]} along dim; index is int64 with dst's shape. */
    void gather(Strided src, int dim, Strided index, Strided dst);

    /** In place: {@code dst[index[i]] = src[i]} (or {@code +=} when {@code accumulate}) along dim. */
    void scatter(Strided dst, int dim, Strided index, Strided src, boolean accumulate);

    /**
     * In place: {@code dst[index[i]] = op(dst[index[i]], src[i])} along dim for op SUM, PROD, MAX or MIN, in index order;
     * MAX/MIN propagate NaN from either side.
     */
    void scatterReduce(Strided dst, int dim, Strided index, Strided src, ReduceOp op);

    /** {@code dst = src.index_select(dim, index)} with a 1-D int64 index. */
    void indexSelect(Strided src, int dim, Strided index, Strided dst);

    /** In place: {@code dst.index_add_(dim, index, src)} with a 1-D int64 index; duplicates accumulate. */
    void indexAdd(Strided dst, int dim, Strided index, Strided src);

    // ---- convolution and pooling over [N, C, H, W] planes (rows = H axis, cols = W axis), float32/float64

    /** Columns of a convolution: {@code dst[n][c][i][j][oh][ow] = src[n][c][rows.start(oh) + i*d][cols.start(ow) + j*d]}, 0 in padding. */
    void im2col(Strided src, WindowAxis rows, WindowAxis cols, Strided dst);

    /** The transpose of {@link #im2col}: adds each column element into the input position it was read from. */
    void col2im(Strided src, WindowAxis rows, WindowAxis cols, Strided dst);

    /**
     * A stride-1, undilated, ungrouped convolution computed from the image itself, for layers too small for im2col
     * and a GEMM to pay: {@code dst[n][o][oh][ow] = bias[o] + sum over c, i, j of weight[o][c][i][j] * src[n][c][oh + i][ow + j]}
     * with {@code src} already padded and {@code bias} null for none. Returns false, having done nothing, where the
     * backend has no such kernel (a dtype, a layout); the caller then lowers the convolution to {@link #im2col} and a
     * matrix product.
     */
    boolean convDirect(Strided src, Strided weight, Strided bias, Strided dst);

    /**
     * The weight gradient of such a convolution, from the (padded) image and the output gradient:
     * {@code dst[o][c][i][j] = sum over n, oh, ow of gradOut[n][o][oh][ow] * src[n][c][oh + i][ow + j]}. Returns false,
     * having done nothing, where the backend has no such kernel; the caller then uses {@link #im2col} and a product.
     */
    boolean convWeightGradDirect(Strided src, Strided gradOut, Strided dst);

    /**
     * Max over each window's in-bounds elements, with the flat index {@code h * W + w} of the maximum within its
     * plane (int64); NaN wins, as in PyTorch, and a window of -inf reports its first in-bounds element.
     */
    void maxPool2d(Strided src, WindowAxis rows, WindowAxis cols, Strided values, Strided indices);

    /** Sum over each window's in-bounds elements (average pooling divides it afterwards). */
    void sumPool2d(Strided src, WindowAxis rows, WindowAxis cols, Strided dst);

    /** The transpose of {@link #sumPool2d}: adds each window's value to every in-bounds input position it covers. */
    void sumPool2dBackward(Strided src, WindowAxis rows, WindowAxis cols, Strided dst);

    /**
     * LU factorisation with partial pivoting (LAPACK getrf) of each [n, n] matrix of a (row-major, contiguous), in
     * place: L below its unit diagonal, U on and above. pivots (int32 [..., n]) gets LAPACK's 1-based row swaps,
     * info (int32 [...]) 0 or the 1-based position of the first zero on U's diagonal.
     */
    void luFactor(Strided a, Strided pivots, Strided info);

    /**
     * Overwrites each [n, k] matrix of b (row-major, contiguous) with X solving A X = B, or Aᵀ X = B when
     * {@code transposed} (LAPACK getrs), A given by {@link #luFactor}'s output for the same batch position.
     */
    void luSolve(Strided lu, Strided pivots, Strided b, boolean transposed);

    /**
     * Singular value decomposition of each [m, n] matrix of a (row-major, contiguous): s ([..., k], k = min(m, n)) in
     * descending order and, when u is not null, u ([..., m, ku]) and vh ([..., kv, n]) with ku = kv = k, or m and n for
     * full_matrices; all row-major and contiguous.
     */
    void svd(Strided a, Strided u, Strided s, Strided vh);

    /**
     * Cholesky factorisation (LAPACK potrf, lower) of each [n, n] matrix of a (row-major, contiguous), in place: L on
     * and below the diagonal, zeros above; only the lower triangle is read. info (int32 [...]) gets 0 or the 1-based
     * order of the first leading minor that is not positive definite.
     */
    void choleskyFactor(Strided a, Strided info);

    /**
     * Overwrites each [n, k] matrix of b (row-major, contiguous) with X solving A X = B (LAPACK trsm, left side), A
     * the matrix of a ([.., n, n], row-major, contiguous) at the same batch position, read only in its upper or
     * lower triangle and with a diagonal of ones when {@code unitriangular}.
     */
    void triangularSolve(Strided a, Strided b, boolean upper, boolean unitriangular);

    /**
     * Householder QR (LAPACK geqrf) of each [m, n] matrix of a (row-major, contiguous), in place: R on and above the
     * diagonal, the reflections' vectors below it; tau ([.., min(m, n)], a's dtype) gets their scales.
     */
    void householderQr(Strided a, Strided tau);

    /** Q's first q columns into q ([.., m, q], row-major, contiguous) from {@link #householderQr}'s a and tau (LAPACK orgqr). */
    void householderProduct(Strided a, Strided tau, Strided q);
}

package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.spi.Backend;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.ProductKernel;
import dev.ember.tensor.spi.ReduceOp;
import dev.ember.tensor.spi.ScanOp;
import dev.ember.tensor.spi.Storage;
import dev.ember.tensor.spi.Strided;
import dev.ember.tensor.spi.UnaryOp;
import dev.ember.tensor.spi.WindowAxis;

/** The CPU backend: heap-array storage, Vector API loops, BLAS for matmul. */
public final class CpuBackend implements Backend {

    @Override
    public String name() { return "cpu"; }

    @Override
    public Device.Type deviceType() { return Device.Type.CPU; }

    @Override
    public int priority() { return 0; }

    @Override
    public String unavailableReason() { return null; }

    @Override
    public Storage allocate(DType dtype, int size, Device device) { return HostStorage.allocate(dtype, size, this); }

    @Override
    public Storage allocateEmpty(DType dtype, int size, Device device) { return HostStorage.allocateEmpty(dtype, size, this); }

    @Override
    public HostStorage toHost(Storage storage) { return (HostStorage) storage; }

    @Override
    public Storage fromHost(HostStorage host, Device device) { return host; }

    @Override
    public void copy(Strided src, Strided dst) { Elementwise.copy(src, dst); }

    @Override
    public void fill(Strided dst, double value) { Elementwise.fill(dst, value); }

    @Override
    public void fill(Strided dst, long value) { Elementwise.fill(dst, value); }

    @Override
    public void unary(UnaryOp op, Strided src, Strided dst) { Elementwise.unary(op, src, dst); }

    @Override
    public void binary(BinaryOp op, Strided a, Strided b, Strided dst) { Elementwise.binary(op, a, b, dst); }

    @Override
    public void addScaled(Strided a, Strided b, double alpha, Strided dst) { FusedAdd.addScaled(a, b, alpha, dst); }

    @Override
    public void where(Strided cond, Strided a, Strided b, Strided dst) { Elementwise.where(cond, a, b, dst); }

    @Override
    public void reduce(ReduceOp op, Strided src, int[] dims, Strided dst) { Reduce.reduce(op, src, dims, dst); }

    @Override
    public void argReduce(ReduceOp op, Strided src, int dim, Strided values, Strided indices) { ArgReduce.argReduce(op, src, dim, values, indices); }

    @Override
    public void matmul(Strided a, Strided b, Strided dst, double beta, double alpha, ProductKernel kernel) { Matmul.matmul(a, b, dst, beta, alpha, kernel); }

    @Override
    public void scan(ScanOp op, Strided src, int dim, Strided dst) { Scan.scan(op, src, dim, dst); }

    @Override
    public void cumExtreme(ScanOp op, Strided src, int dim, Strided values, Strided indices) { Scan.cumExtreme(op, src, dim, values, indices); }

    @Override
    public void sort(Strided src, int dim, boolean descending, boolean stable, Strided values, Strided indices) {
        Sort.sort(src, dim, descending, stable, values, indices);
    }

    @Override
    public void median(Strided src, int dim, boolean ignoreNan, Strided values, Strided indices) { Select.median(src, dim, ignoreNan, values, indices); }

    @Override
    public void medianAll(Strided src, boolean ignoreNan, Strided value) { Select.medianAll(src, ignoreNan, value); }

    @Override
    public void kthvalue(Strided src, int k, int dim, Strided values, Strided indices) { Select.kthvalue(src, k, dim, values, indices); }

    @Override
    public void mode(Strided src, int dim, Strided values, Strided indices) { Select.mode(src, dim, values, indices); }

    @Override
    public void topk(Strided src, int k, int dim, boolean largest, boolean sorted, Strided values, Strided indices) {
        Sort.topk(src, k, dim, largest, sorted, values, indices);
    }

    @Override
    public void gather(Strided src, int dim, Strided index, Strided dst) { IndexKernels.gather(src, dim, index, dst); }

    @Override
    public void scatter(Strided dst, int dim, Strided index, Strided src, boolean accumulate) { IndexKernels.scatter(dst, dim, index, src, accumulate); }

    @Override
    public void scatterReduce(Strided dst, int dim, Strided index, Strided src, ReduceOp op) { IndexKernels.scatterReduce(dst, dim, index, src, op); }

    @Override
    public void indexSelect(Strided src, int dim, Strided index, Strided dst) { IndexKernels.indexSelect(src, dim, index, dst); }

    @Override
    public void indexAdd(Strided dst, int dim, Strided index, Strided src) { IndexKernels.indexAdd(dst, dim, index, src); }

    @Override
    public void im2col(Strided src, WindowAxis rows, WindowAxis cols, Strided dst) { WindowKernels.im2col(src, rows, cols, dst); }

    @Override
    public void col2im(Strided src, WindowAxis rows, WindowAxis cols, Strided dst) { WindowKernels.col2im(src, rows, cols, dst); }

    @Override
    public boolean convDirect(Strided src, Strided weight, Strided bias, Strided dst) { return DirectConv.conv(src, weight, bias, dst); }

    @Override
    public boolean convWeightGradDirect(Strided src, Strided gradOut, Strided dst) { return DirectWeightGrad.weightGrad(src, gradOut, dst); }

    @Override
    public void maxPool2d(Strided src, WindowAxis rows, WindowAxis cols, Strided values, Strided indices) {
        WindowKernels.maxPool2d(src, rows, cols, values, indices);
    }

    @Override
    public void sumPool2d(Strided src, WindowAxis rows, WindowAxis cols, Strided dst) { WindowKernels.sumPool2d(src, rows, cols, dst, false); }

    @Override
    public void sumPool2dBackward(Strided src, WindowAxis rows, WindowAxis cols, Strided dst) { WindowKernels.sumPool2d(src, rows, cols, dst, true); }

    @Override
    public void luFactor(Strided a, Strided pivots, Strided info) { Lu.factor(a, pivots, info); }

    @Override
    public void luSolve(Strided lu, Strided pivots, Strided b, boolean transposed) { Lu.solve(lu, pivots, b, transposed); }

    @Override
    public void svd(Strided a, Strided u, Strided s, Strided vh) { JacobiSvd.decompose(a, u, s, vh); }

    @Override
    public void choleskyFactor(Strided a, Strided info) { CholeskyFactor.factor(a, info); }

    @Override
    public void triangularSolve(Strided a, Strided b, boolean upper, boolean unitriangular) { TriangularSolver.solve(a, b, upper, unitriangular); }

    @Override
    public void householderQr(Strided a, Strided tau) { Householder.factor(a, tau); }

    @Override
    public void householderProduct(Strided a, Strided tau, Strided q) { Householder.product(a, tau, q); }
}

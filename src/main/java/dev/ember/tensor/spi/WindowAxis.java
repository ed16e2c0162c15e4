package dev.ember.tensor.spi;

/**
 * How the windows of a convolution or pooling cover one spatial axis: window {@code o} reads positions
 * {@code start(o) + k * step()} for {@code k < size(o)}; positions outside {@code [0, inputSize)} are padding.
 * Sliding windows (convolution, max/avg pooling) have a fixed size; adaptive ones (adaptive pooling) span
 * {@code [floor(o * in / out), ceil((o + 1) * in / out))}, as in PyTorch.
 */
public record WindowAxis(int inputSize, int outputSize, int kernel, int stride, int padding, int dilation, boolean adaptive) {

    /** Sliding windows; {@code padding} is the padding before the first element (after it only sets outputSize). */
    public static WindowAxis sliding(int inputSize, int outputSize, int kernel, int stride, int padding, int dilation) {
        return new WindowAxis(inputSize, outputSize, kernel, stride, padding, dilation, false);
    }

    public static WindowAxis adaptive(int inputSize, int outputSize) {
        return new WindowAxis(inputSize, outputSize, 0, 0, 0, 1, true);
    }

    public int start(int o) {
        return adaptive ? (int) ((long) o * inputSize / outputSize) : o * stride - padding;
    }

    public int size(int o) {
        return adaptive ? (int) (1 + ((long) (o + 1) * inputSize - 1) / outputSize) - start(o) : kernel;
    }

    public int step() { return adaptive ? 1 : dilation; }

    /** The largest window size, the kernel extent of the column buffers of im2col. */
    public int maxSize() {
        if (!adaptive) return kernel;
        int m = 0;
        for (int o = 0; o < outputSize; o++) m = Math.max(m, size(o));
        return m;
    }
}

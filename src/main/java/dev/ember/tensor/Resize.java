package dev.ember.tensor;

import java.util.Arrays;
import java.util.logging.Logger;

/**
 * {@code resize_}, and ATen's {@code resize_output}, which every {@code out=} form runs: an out tensor of another
 * shape takes the result's, silently when it has no elements, with PyTorch's deprecation warning otherwise.
 */
final class Resize {
    private Resize() {}

    private static final Logger LOG = Logger.getLogger(Resize.class.getName());

    /**
     * {@code resize_(size)}: refused for a tensor that requires grad, in either grad mode. A tensor already of that
     * shape keeps its strides; otherwise it becomes row-major from its storage offset, and the storage grows when
     * that reaches past its end. Not a write: the version counter stays.
     */
    static Tensor resize_(Tensor self, int[] size) {
        if (self.requiresGrad()) throw new IllegalStateException("cannot resize variables that require grad");
        resize(self, size);
        return self;
    }

    /**
     * {@code resize_output(out, shape)}: whether {@code out} had to change shape. It bypasses resize_'s requires-grad
     * check, as ATen calls the native resize directly (the out= forms refuse autograd themselves).
     */
    static boolean resizeOutput(Tensor out, int[] shape) {
        int[] had = out.layout().shape();
        if (Arrays.equals(had, shape)) return false;
        if (out.numel() != 0)
            LOG.warning("An output with one or more elements was resized since it had shape " + Shape.str(had) + ", which does not match the required output shape "
                    + Shape.str(shape) + ". This behavior is deprecated, and in a future PyTorch release outputs will not be resized unless they have zero elements. "
                    + "You can explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).");
        resize(out, shape);
        return true;
    }

    private static void resize(Tensor t, int[] size) {
        if (Arrays.equals(t.layout().shape(), size)) return;
        // PyTorch multiplies the sizes as unsigned numbers, so a negative one overflows
        for (int s : size) if (s < 0) throw new IllegalArgumentException("numel: integer multiplication overflow");
        Layout l = Layout.contiguous(size);
        l = new Layout(l.shape(), l.strides(), t.storageOffset());
        long needed = l.extent();
        if (needed > Integer.MAX_VALUE) throw new IllegalArgumentException("numel: integer multiplication overflow");
        if (needed > t.storage().size()) t.storage().resize((int) needed);
        t.setLayout(l);
    }
}

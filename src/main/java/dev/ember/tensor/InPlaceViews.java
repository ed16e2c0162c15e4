package dev.ember.tensor;

import dev.ember.autograd.Autograd;

import java.util.function.UnaryOperator;

/**
 * The in-place view ops ({@code t_}, {@code transpose_}, {@code squeeze_}, {@code unsqueeze_}, {@code as_strided_}):
 * the tensor itself takes the view's layout over the same storage. PyTorch treats them as in-place ops (a leaf that
 * requires grad refuses them, the version counter moves), and records them with {@code set_history}, not
 * {@code rebase_history}: the tensor's grad_fn becomes the op's own node ({@code TBackward1}, ...) leading to its old
 * one, with no CopySlices on a view's base (no element changed), and a retained grad stays with the old node.
 * Views taken before keep their layout; under no_grad only the layout and version change, as in PyTorch.
 */
final class InPlaceViews {
    private InPlaceViews() {}

    static Tensor t_(Tensor self) {
        Autograd.checkInplace(self);
        int n = self.dim();
        if (n > 2) throw new IllegalArgumentException("t_() expects a tensor with <= 2 dimensions, but self is " + n + "D");
        return restride(self, n < 2 ? self.layout() : self.layout().transpose(0, 1), "TBackward1", Tensor::t);
    }

    static Tensor transpose_(Tensor self, int dim0, int dim1) {
        Autograd.checkInplace(self);
        int d0 = Shape.wrapDim(dim0, self.dim()), d1 = Shape.wrapDim(dim1, self.dim());
        return restride(self, self.layout().transpose(d0, d1), "TransposeBackward1", g -> g.transpose(d0, d1));
    }

    /** {@code squeeze_()} (dim null, SqueezeBackward2) or {@code squeeze_(dim)} (SqueezeBackward3). */
    static Tensor squeeze_(Tensor self, Integer dim) {
        Autograd.checkInplace(self);
        int n = self.dim();
        boolean[] drop = new boolean[n];
        if (dim == null) java.util.Arrays.fill(drop, true);
        else {
            int d = Shape.wrapDim(dim, n);
            if (n > 0) drop[d] = true; // a 0-dim tensor takes dim 0 or -1 and stays as it is
        }
        int[] in = self.layout().shape();
        return restride(self, self.layout().squeeze(drop), dim == null ? "SqueezeBackward2" : "SqueezeBackward3", g -> Movement.unsqueezeTo(g, in, drop));
    }

    static Tensor unsqueeze_(Tensor self, int dim) {
        Autograd.checkInplace(self);
        int d = Shape.wrapDim(dim, self.dim() + 1);
        return restride(self, self.layout().unsqueeze(d), "UnsqueezeBackward1", g -> g.squeeze(d));
    }

    static Tensor asStrided_(Tensor self, int[] size, int[] stride, int offset) {
        Autograd.checkInplace(self);
        Layout in = self.layout(), l = Movement.stridedLayout(self, size, stride, offset);
        return restride(self, l, "AsStridedBackward1", g -> AsStridedBackward.apply(g, in, l));
    }

    /**
     * Gives self its new layout; when recorded, its new node's edge is self's old gradient edge (read before the
     * version moves, so a stale view re-derives first, as PyTorch's collect_next_edges does), and a view's history is
     * marked current, so the node is not re-derived away (set_history sets the view's attr_version).
     */
    private static Tensor restride(Tensor self, Layout layout, String name, UnaryOperator<Tensor> backward) {
        Tensor before = Autograd.isRecording(self) ? Autograd.withHistoryOf(self.detach(), self) : null;
        self.setLayout(layout);
        self.bumpVersion();
        if (before == null) return self;
        Autograd.record(name, self, before, c -> new Tensor[] {backward.apply(c.grad())});
        self.meta().setViewVersion(self.versionCounter());
        return self;
    }
}

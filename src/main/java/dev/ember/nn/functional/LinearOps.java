package dev.ember.nn.functional;

import dev.ember.tensor.Tensor;

import java.util.Arrays;

/** linear and bilinear, routed as ATen's at::linear routes them (addmm for 2-D input with bias). */
final class LinearOps {
    private LinearOps() {}

    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (x.dim() == 0 || w.dim() != 2 && w.dim() != 1) throw new IllegalArgumentException("both arguments to linear need to be at least 1D, but they are "
                + x.dim() + "D and " + w.dim() + "D");
        int in = x.size(-1), wIn = w.size(-1);
        if (in != wIn) {
            int rows = x.numel() / Math.max(1, in);
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + rows + "x" + in + " and " + wIn + "x" + (w.dim() == 2 ? w.size(0) : 1) + ")");
        }
        // addmm(b, x, w.t()): its weight gradient comes back through w.t()'s TBackward0 already in w's layout
        if (x.dim() == 2 && b != null && w.dim() == 2) return Tensor.addmm(b, x, w.t());
        if (x.dim() == 3 && b != null && w.dim() == 2 && x.isContiguous()) {
            int[] s = x.shape();
            return Tensor.addmm(b, x.view(s[0] * s[1], s[2]), w.t()).view(s[0], s[1], w.size(0));
        }
        Tensor y = x.matmul(w.t());
        return b == null ? y : y.add(b);
    }

    /** {@code y = x1ᵀ A x2 + b} for weight [O, in1, in2], with any leading batch dims. */
    static Tensor bilinear(Tensor x1, Tensor x2, Tensor w, Tensor b) {
        if (w.dim() != 3) throw new IllegalArgumentException("bilinear(): weight must be three-dimensional, but got " + w.dim() + "D");
        if (x1.dim() != x2.dim())
            throw new IllegalArgumentException("bilinear(): input dimensions do not match: got " + x1.dim() + " and " + x2.dim());
        for (int i = 0; i < x1.dim() - 1; i++)
            if (x1.size(i) != x2.size(i))
                throw new IllegalArgumentException("bilinear(): input batch dimensions do not match: got " + x1.size(i) + " and " + x2.size(i));
        int o = w.size(0), i1 = w.size(1), i2 = w.size(2);
        if (x1.size(-1) != i1)
            throw new IllegalArgumentException("bilinear(): input1 size does not match weight size: got " + x1.size(-1) + " but expected " + i1);
        if (x2.size(-1) != i2)
            throw new IllegalArgumentException("bilinear(): input2 size does not match weight size: got " + x2.size(-1) + " but expected " + i2);
        int[] lead = Arrays.copyOf(x1.shape(), x1.dim() - 1);
        Tensor a = x1.reshape(-1, i1), c = x2.reshape(-1, i2);
        Tensor t = a.mm(w.permute(1, 0, 2).reshape(i1, o * i2)).view(-1, o, i2);
        Tensor y = t.mul(c.unsqueeze(1)).sum(2);
        if (b != null) y = y.add(b);
        int[] outShape = Arrays.copyOf(lead, lead.length + 1);
        outShape[lead.length] = o;
        return y.view(outShape);
    }
}

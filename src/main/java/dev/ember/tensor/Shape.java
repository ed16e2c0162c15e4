package dev.ember.tensor;

import java.util.Arrays;

/** Helpers on shapes ({@code int[]} sizes), with PyTorch's rules and error texts. */
public final class Shape {
    private Shape() {}

    public static long numelExact(int[] shape) {
        long n = 1;
        for (int s : shape) n = Math.multiplyExact(n, (long) s);
        return n;
    }

    /** Element count; fails for tensors too large for one Java array. */
    public static int numel(int[] shape) {
        long n = numelExact(shape);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor of shape " + str(shape) + " has too many elements (" + n + ")");
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** Wraps a negative dim; PyTorch's message when out of range. A 0-dim tensor accepts dims -1 and 0. */
    public static int wrapDim(int dim, int ndim) {
        int n = Math.max(ndim, 1);
        if (dim < -n || dim >= n)
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-n) + ", " + (n - 1) + "], but got " + dim + ")");
        return dim < 0 ? dim + n : dim;
    }

    /** wrapDim for the ops that refuse a 0-dim tensor (ATen's maybe_wrap_dim without wrap_scalar). */
    public static int wrapDimNoScalar(int dim, int ndim) {
        if (ndim == 0) throw new IndexOutOfBoundsException("Dimension specified as " + dim + " but tensor has no dimensions");
        return wrapDim(dim, ndim);
    }

    /** Broadcast two shapes with NumPy/PyTorch rules; like PyTorch, the error names the last mismatched dim. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b (" + db
                        + ") at non-singleton dimension " + i);
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    public static int[] broadcast(int[]... shapes) {
        int[] out = new int[0];
        for (int[] s : shapes) out = broadcast(out, s);
        return out;
    }

    /** Resolves one {@code -1} in a view/reshape target, checking the element count like PyTorch. */
    public static int[] inferSize(int[] target, long numel) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one dimension can be inferred");
                infer = i;
            } else if (target[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + target[i]);
            } else {
                known *= target[i];
            }
        }
        int[] out = target.clone();
        if (infer >= 0) {
            if (known == 0) {
                if (numel == 0)
                    throw new IllegalArgumentException("cannot reshape tensor of 0 elements into shape " + str(target)
                            + " because the unspecified dimension size -1 can be any value and is ambiguous");
                throw new SizeMismatch(target, numel);
            }
            if (numel % known != 0) throw new SizeMismatch(target, numel);
            out[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new SizeMismatch(target, numel);
        }
        return out;
    }

    /** {@link #inferSize}'s error when the sizes cannot hold {@code numel} elements; unflatten rewords it. */
    static final class SizeMismatch extends IllegalArgumentException {
        SizeMismatch(int[] target, long numel) {
            super("shape '" + str(target) + "' is invalid for input of size " + numel);
        }
    }

    /** {@code [2, 3]}, as inside {@code torch.Size([2, 3])}. */
    /** PyTorch's is_expandable_to: {@code small} broadcasts to {@code big} without changing big. */
    public static boolean expandable(int[] small, int[] big) {
        if (small.length > big.length) return false;
        for (int i = 1; i <= small.length; i++) {
            int s = small[small.length - i], b = big[big.length - i];
            if (s != b && s != 1) return false;
        }
        return true;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    public static int[] of(int... dims) { return dims; }
}

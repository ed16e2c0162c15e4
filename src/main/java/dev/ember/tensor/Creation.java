package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.Backend;
import dev.ember.tensor.spi.HostStorage;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/** Factories (zeros, full, arange, linspace, eye, tensor(data), random) and host data access. */
final class Creation {
    private Creation() {}

    static Tensor zeros(int[] shape, DType dtype) { return zeros(shape, dtype, Device.CPU); }

    static Tensor zeros(int[] shape, DType dtype, Device device) {
        for (int s : shape) if (s < 0) throw new IllegalArgumentException("Trying to create tensor with negative dimension " + s + ": " + Shape.str(shape));
        return Kernels.empty(shape, dtype, device);
    }

    static Tensor full(int[] shape, double value, DType dtype) { return full(shape, value, dtype, Device.CPU); }

    static Tensor full(int[] shape, double value, DType dtype, Device device) {
        Tensor t = zeros(shape, dtype, device);
        if (value != 0 || Double.doubleToRawLongBits(value) != 0) t.backend().fill(t.strided(), value);
        return t;
    }

    static Tensor fullLong(int[] shape, long value, DType dtype, Device device) {
        Tensor t = zeros(shape, dtype, device);
        if (value != 0) t.backend().fill(t.strided(), value);
        return t;
    }

    /** Wraps a Java array without copying. */
    static Tensor fromArray(Object array, DType dtype, int... shape) {
        HostStorage h = HostStorage.wrap(dtype, array, Backends.cpu());
        if (Shape.numelExact(shape) != h.size())
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " needs " + Shape.numelExact(shape) + " elements but the array has " + h.size());
        return new Tensor(h, Layout.contiguous(shape));
    }

    /** Builds a tensor from nested Java arrays, Lists, Numbers or Booleans; the dtype comes from the Java type unless given. */
    static Tensor tensor(Object data, DType dtype) {
        List<Integer> dims = new ArrayList<>();
        Object probe = data;
        while (probe != null && (probe.getClass().isArray() || probe instanceof List<?>)) {
            int n = probe instanceof List<?> l ? l.size() : Array.getLength(probe);
            dims.add(n);
            if (n == 0) break;
            probe = probe instanceof List<?> l ? l.getFirst() : Array.get(probe, 0);
        }
        DType inferred = inferDType(data, probe);
        DType dt = dtype != null ? dtype : inferred;
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        HostStorage h = HostStorage.allocate(dt, Shape.numel(shape), Backends.cpu());
        int[] at = {0};
        fill(h, data, 0, shape, at);
        return new Tensor(h, Layout.contiguous(shape));
    }

    private static DType inferDType(Object data, Object leaf) {
        Class<?> c = data.getClass();
        while (c.isArray()) c = c.getComponentType();
        if (c == float.class || c == Float.class) return DType.FLOAT32;
        if (c == double.class || c == Double.class) return DType.FLOAT64;
        if (c == long.class || c == Long.class) return DType.INT64;
        if (c == int.class || c == Integer.class) return DType.INT32;
        if (c == short.class || c == Short.class) return DType.INT16;
        if (c == byte.class || c == Byte.class) return DType.INT8;
        if (c == boolean.class || c == Boolean.class) return DType.BOOL;
        // Lists: decide from the leaf value, like Python literals (floats -> float32, ints -> int64).
        if (leaf instanceof Boolean) return DType.BOOL;
        if (leaf instanceof Double || leaf instanceof Float) return DType.FLOAT32;
        if (leaf instanceof Number || leaf == null) return leaf == null ? DType.FLOAT32 : DType.INT64;
        throw new IllegalArgumentException("Could not infer dtype of " + c.getSimpleName());
    }

    private static void fill(HostStorage h, Object node, int depth, int[] shape, int[] at) {
        if (depth == shape.length) {
            switch (node) {
                case Boolean b -> h.setLong(at[0]++, b ? 1 : 0);
                case Double d -> h.setDouble(at[0]++, d);
                case Float f -> h.setDouble(at[0]++, f);
                case Number n -> h.setLong(at[0]++, n.longValue());
                default -> throw new IllegalArgumentException("Could not infer dtype of " + node.getClass().getSimpleName());
            }
            return;
        }
        int n = node instanceof List<?> l ? l.size() : node.getClass().isArray() ? Array.getLength(node) : -1;
        if (n != shape[depth])
            throw new IllegalArgumentException("expected sequence of length " + shape[depth] + " at dim " + depth + " (got " + (n < 0 ? "a scalar" : n) + ")");
        for (int i = 0; i < n; i++) fill(h, node instanceof List<?> l ? l.get(i) : Array.get(node, i), depth + 1, shape, at);
    }

    static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        if ((step > 0 && start > end) || (step < 0 && start < end))
            throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        long n = (end - start + step - (step > 0 ? 1 : -1)) / step;
        long[] v = new long[(int) Math.max(n, 0)];
        for (int i = 0; i < v.length; i++) v[i] = start + i * step;
        return fromArray(v, DType.INT64, v.length);
    }

    static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0) throw new IllegalArgumentException("step must be nonzero");
        if ((step > 0 && start > end) || (step < 0 && start < end))
            throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        int n = (int) Math.ceil((end - start) / step);
        HostStorage h = HostStorage.allocate(dtype, n, Backends.cpu());
        for (int i = 0; i < n; i++) h.setDouble(i, start + i * step);
        return new Tensor(h, Layout.contiguous(n));
    }

    /** Symmetric formula of PyTorch's CPU kernel: the first half counts up from start, the second down from end. */
    static Tensor linspace(double start, double end, int steps, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        HostStorage h = HostStorage.allocate(dtype, steps, Backends.cpu());
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = steps / 2;
        for (int i = 0; i < steps; i++) h.setDouble(i, i < half ? start + step * i : end - step * (steps - 1 - i));
        if (steps == 1) h.setDouble(0, start);
        return new Tensor(h, Layout.contiguous(steps));
    }

    static Tensor logspace(double start, double end, int steps, double base, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        HostStorage h = HostStorage.allocate(dtype, steps, Backends.cpu());
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = steps / 2;
        for (int i = 0; i < steps; i++) h.setDouble(i, Math.pow(base, i < half ? start + step * i : end - step * (steps - 1 - i)));
        if (steps == 1) h.setDouble(0, Math.pow(base, start));
        return new Tensor(h, Layout.contiguous(steps));
    }

    static Tensor eye(int n, int m, DType dtype) {
        if (n < 0 || m < 0) throw new IllegalArgumentException("n and m must be non-negative, got " + n + ", " + m);
        HostStorage h = HostStorage.allocate(dtype, n * m, Backends.cpu());
        for (int i = 0; i < Math.min(n, m); i++) h.setLong(i * m + i, 1);
        return new Tensor(h, Layout.contiguous(n, m));
    }

    // ------------------------------------------------------------ random

    static Tensor rand(Generator g, int[] shape, DType dtype) {
        requireFloating("rand", dtype);
        HostStorage h = HostStorage.allocate(dtype, Shape.numel(shape), Backends.cpu());
        for (int i = 0; i < h.size(); i++) h.setDouble(i, dtype == DType.FLOAT64 ? g.nextDouble() : g.nextFloat());
        return new Tensor(h, Layout.contiguous(shape));
    }

    static Tensor randn(Generator g, int[] shape, DType dtype) {
        requireFloating("randn", dtype);
        HostStorage h = HostStorage.allocate(dtype, Shape.numel(shape), Backends.cpu());
        for (int i = 0; i < h.size(); i++) h.setDouble(i, g.nextGaussian());
        return new Tensor(h, Layout.contiguous(shape));
    }

    static Tensor randint(Generator g, long low, long high, int[] shape) {
        if (high <= low) throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low + " >= to=" + high);
        long[] v = new long[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = low + g.nextLong(high - low);
        return fromArray(v, DType.INT64, shape);
    }

    static Tensor randperm(Generator g, int n) {
        if (n < 0) throw new IllegalArgumentException("n must be non-negative, got" + n);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int) g.nextLong(i + 1L);
            long t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return fromArray(v, DType.INT64, n);
    }

    static Tensor normal(Generator g, double mean, double std, int[] shape) {
        if (std < 0) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        HostStorage h = HostStorage.allocate(DType.FLOAT32, Shape.numel(shape), Backends.cpu());
        for (int i = 0; i < h.size(); i++) h.setDouble(i, mean + std * g.nextGaussian());
        return new Tensor(h, Layout.contiguous(shape));
    }

    static Tensor normal(Generator g, Tensor mean, Tensor std) {
        int[] shape = Shape.broadcast(mean.layout().shape(), std.layout().shape());
        DType dt = TypePromotion.resultType(mean, std);
        requireFloating("normal", dt);
        Tensor noise = randn(g, shape, dt);
        return Kernels.binary(dev.ember.tensor.spi.BinaryOp.ADD, mean,
                Kernels.binary(dev.ember.tensor.spi.BinaryOp.MUL, noise, std, dt), dt);
    }

    static Tensor bernoulli(Generator g, Tensor p) {
        requireFloating("bernoulli", p.dtype());
        double[] probs = toDoubleArray(p);
        HostStorage h = HostStorage.allocate(p.dtype(), probs.length, Backends.cpu());
        for (int i = 0; i < probs.length; i++) {
            if (!(probs[i] >= 0 && probs[i] <= 1)) throw new IllegalArgumentException("Expected p_in >= 0 && p_in <= 1 to be true, but got false.");
            h.setDouble(i, g.nextDouble() < probs[i] ? 1 : 0);
        }
        return toDevice(new Tensor(h, Layout.contiguous(p.layout().shape())), p.device());
    }

    static Tensor uniform_(Tensor self, Generator g, double from, double to) {
        if (from > to) throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from=" + from + " > to=" + to);
        HostStorage h = HostStorage.allocate(self.dtype(), self.numel(), Backends.cpu());
        for (int i = 0; i < h.size(); i++) h.setDouble(i, from + (to - from) * (self.dtype() == DType.FLOAT64 ? g.nextDouble() : g.nextFloat()));
        return overwrite(self, h);
    }

    static Tensor normal_(Tensor self, Generator g, double mean, double std) {
        if (std < 0) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        HostStorage h = HostStorage.allocate(self.dtype(), self.numel(), Backends.cpu());
        for (int i = 0; i < h.size(); i++) h.setDouble(i, mean + std * g.nextGaussian());
        return overwrite(self, h);
    }

    static Tensor bernoulli_(Tensor self, Generator g, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + p);
        HostStorage h = HostStorage.allocate(self.dtype(), self.numel(), Backends.cpu());
        for (int i = 0; i < h.size(); i++) h.setLong(i, g.nextDouble() < p ? 1 : 0);
        return overwrite(self, h);
    }

    private static void requireFloating(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException(op + " is not implemented for " + TypePromotion.typeName(dtype));
    }

    /** Fills self (in place, checked like any in-place op) from host values of its shape. */
    private static Tensor overwrite(Tensor self, HostStorage values) {
        Autograd.checkInplace(self);
        Tensor src = toDevice(new Tensor(values, Layout.contiguous(self.layout().shape())), self.device());
        self.backend().copy(src.strided(), self.strided());
        self.storage().bumpVersion();
        return self;
    }

    private static Tensor toDevice(Tensor host, Device device) {
        if (device.isCpu()) return host;
        Backend b = Backends.forDevice(device);
        return new Tensor(b.fromHost((HostStorage) host.storage(), device), host.layout());
    }

    // ------------------------------------------------------------ host access

    static HostStorage toHost(Tensor t) {
        Tensor c = t.contiguous();
        HostStorage h = c.backend().toHost(c.storage());
        if (c.layout().offset() == 0 && h.size() == c.numel()) return h;
        HostStorage out = HostStorage.allocate(t.dtype(), c.numel(), Backends.cpu());
        System.arraycopy(h.array(), c.layout().offset(), out.array(), 0, c.numel());
        return out;
    }

    static float[] toFloatArray(Tensor t) {
        HostStorage h = toHost(t);
        if (t.dtype() == DType.FLOAT32) return h.floats().clone();
        float[] out = new float[h.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) h.getDouble(i);
        return out;
    }

    static double[] toDoubleArray(Tensor t) {
        HostStorage h = toHost(t);
        double[] out = new double[h.size()];
        for (int i = 0; i < out.length; i++) out[i] = h.getDouble(i);
        return out;
    }

    static long[] toLongArray(Tensor t) {
        HostStorage h = toHost(t);
        long[] out = new long[h.size()];
        for (int i = 0; i < out.length; i++) out[i] = h.getLong(i);
        return out;
    }

    static int[] toIntArray(Tensor t) {
        long[] l = toLongArray(t);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = (int) l[i];
        return out;
    }

    static boolean[] toBoolArray(Tensor t) {
        HostStorage h = toHost(t);
        boolean[] out = new boolean[h.size()];
        for (int i = 0; i < out.length; i++) out[i] = h.getDouble(i) != 0;
        return out;
    }

    static Object tolist(Tensor t) {
        HostStorage h = toHost(t);
        int[] at = {0};
        return tolist(h, t.layout().shape(), 0, at);
    }

    private static Object tolist(HostStorage h, int[] shape, int depth, int[] at) {
        if (depth == shape.length) {
            int i = at[0]++;
            DType d = h.dtype();
            if (d == DType.BOOL) return h.getLong(i) != 0;
            if (d.isFloatingPoint()) return h.getDouble(i);
            return h.getLong(i);
        }
        List<Object> out = new ArrayList<>(shape[depth]);
        for (int k = 0; k < shape[depth]; k++) out.add(tolist(h, shape, depth + 1, at));
        return out;
    }
}

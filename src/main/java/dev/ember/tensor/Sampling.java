package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.Backend;
import dev.ember.tensor.spi.HostStorage;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Random factories and in-place samplers ({@code rand}, {@code randn}, {@code randint}, {@code randperm},
 * {@code normal}, {@code bernoulli}, {@code uniform_}, {@code normal_}, {@code bernoulli_}). Numbers come from
 * an explicit {@link Generator} and are drawn on the host in row-major order, so a seed fixes them on every
 * device; the streams differ from PyTorch's, the distributions, dtypes, errors and grad_fns do not.
 */
final class Sampling {
    private Sampling() {}

    static Tensor rand(Generator g, int[] shape, DType dtype) {
        requireFloating("check_uniform_bounds", dtype);
        return sample(shape, dtype, () -> uniform(g, dtype));
    }

    static Tensor randn(Generator g, int[] shape, DType dtype) {
        requireFloating("normal_kernel_cpu", dtype);
        return sample(shape, dtype, g::nextGaussian);
    }

    /** Integers uniform in {@code [low, high)}, stored in {@code dtype} (int64 by default, floating types allowed). */
    static Tensor randint(Generator g, long low, long high, int[] shape, DType dtype) {
        checkRandomRange(low, high, dtype);
        Creation.checkShape(shape);
        HostStorage h = HostStorage.allocate(dtype, Shape.numel(shape), Backends.cpu());
        long range = high - low; // as unsigned: up to 2^64 - 1
        for (int i = 0; i < h.size(); i++) h.setLong(i, low + uniformBelow(g, range));
        return new Tensor(h, Layout.contiguous(shape));
    }

    /** {@code random_(from, to)}'s checks: a non-empty range whose ends the dtype can hold. */
    private static void checkRandomRange(long from, long to, DType dtype) {
        if (from >= to) throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + from + " >= to=" + to);
        long toInclusive = to - 1;
        double min, max;
        if (dtype.isFloatingPoint()) {
            max = switch (dtype) {
                case FLOAT16 -> 65504;
                case BFLOAT16 -> 0x1.FEp127;
                case FLOAT32 -> Float.MAX_VALUE;
                default -> Double.MAX_VALUE;
            };
            min = -max;
        } else {
            min = switch (dtype) {
                case BOOL, UINT8 -> 0;
                case INT8 -> Byte.MIN_VALUE;
                case INT16 -> Short.MIN_VALUE;
                case INT32 -> Integer.MIN_VALUE;
                default -> Long.MIN_VALUE;
            };
            max = switch (dtype) {
                case BOOL -> 1;
                case UINT8 -> 255;
                case INT8 -> Byte.MAX_VALUE;
                case INT16 -> Short.MAX_VALUE;
                case INT32 -> Integer.MAX_VALUE;
                default -> Long.MAX_VALUE;
            };
        }
        if (from < min || from > max) throw new IllegalArgumentException("from is out of bounds for " + Scalar.typeMetaName(dtype));
        if (toInclusive < min || toInclusive > max) throw new IllegalArgumentException("to - 1 is out of bounds for " + Scalar.typeMetaName(dtype));
    }

    /** Uniform in {@code [0, range)} with {@code range} read as unsigned (0 meaning 2^64), without modulo bias. */
    static long uniformBelow(Generator g, long range) {
        if (range > 0) return g.nextLong(range);
        while (true) {
            long r = g.nextLong();
            if (range == 0 || Long.compareUnsigned(r, range) < 0) return r;
        }
    }

    /** A random permutation of {@code 0..n-1} (Fisher-Yates), int64. */
    static Tensor randperm(Generator g, int n) {
        Creation.checkShape(new int[] {n});
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int) g.nextLong(i + 1L);
            long t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Creation.adopt(v, n);
    }

    static Tensor normal(Generator g, double mean, double std, int[] shape, DType dtype) {
        checkStd(std);
        requireFloating("normal_kernel_cpu", dtype);
        return sample(shape, dtype, () -> mean + std * g.nextGaussian());
    }

    /**
     * {@code normal(mean, std)} with tensor parameters: broadcast shape, mean's dtype. PyTorch defines the
     * gradient of a sample with respect to its parameters as zero (NormalBackward1/2/3), and so does this.
     */
    static Tensor normal(Generator g, Tensor mean, Tensor std) {
        Tensor out = sampleNormal(g, mean, std);
        return Autograd.record("NormalBackward3", out, new Tensor[] {mean, std}, new Tensor[0],
                c -> new Tensor[] {Tensor.zerosLike(mean), Tensor.zerosLike(std)});
    }

    static Tensor normal(Generator g, Tensor mean, double std) {
        checkStd(std);
        Tensor out = sampleNormal(g, mean, Creation.full(mean.layout().shape(), Scalar.of(std), mean.dtype(), mean.device()));
        return Autograd.record("NormalBackward1", out, mean, c -> new Tensor[] {Tensor.zerosLike(mean)});
    }

    static Tensor normal(Generator g, double mean, Tensor std) {
        Tensor out = sampleNormal(g, Creation.full(std.layout().shape(), Scalar.of(mean), std.dtype(), std.device()), std);
        return Autograd.record("NormalBackward2", out, std, c -> new Tensor[] {Tensor.zerosLike(std)});
    }

    private static Tensor sampleNormal(Generator g, Tensor mean, Tensor std) {
        for (double s : std.toDoubleArray()) if (!(s >= 0)) throw new IllegalArgumentException("normal expects all elements of std >= 0.0");
        requireFloating("normal_kernel_cpu", mean.dtype());
        int[] shape = Shape.broadcast(mean.layout().shape(), std.layout().shape());
        double[] m = mean.detach().expand(shape).toDoubleArray(), s = std.detach().expand(shape).toDoubleArray();
        int[] at = {0};
        return toDevice(sample(shape, mean.dtype(), () -> {
            int i = at[0]++;
            return m[i] + s[i] * g.nextGaussian();
        }), mean.device());
    }

    /** {@code torch.bernoulli(p)}: 0/1 drawn with probabilities p, in p's dtype (BernoulliBackward0: zero gradient). */
    static Tensor bernoulli(Generator g, Tensor p) {
        requireFloating("bernoulli_tensor_cpu_p_", p.dtype());
        double[] probs = p.toDoubleArray();
        for (double q : probs) if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException(P_RANGE);
        int[] at = {0};
        Tensor out = toDevice(sample(p.layout().shape(), p.dtype(), () -> g.nextDouble() < probs[at[0]++] ? 1 : 0), p.device());
        return Autograd.record("BernoulliBackward0", out, p, c -> new Tensor[] {Tensor.zerosLike(p)});
    }

    /** {@code torch.bernoulli(input, p)}: input's shape and dtype, every element 1 with probability p. */
    static Tensor bernoulli(Generator g, Tensor input, double p) {
        return bernoulli_(Creation.zeros(input.layout().shape(), input.dtype(), input.device()), g, p);
    }

    private static final String P_RANGE = "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  "
            + "(Could this error message be improved?  If so, please report an enhancement request to PyTorch.)";

    static Tensor uniform_(Tensor self, Generator g, double from, double to) {
        requireFloating("check_uniform_bounds", self.dtype());
        if (from > to)
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from=" + NumberFormat.cpp(from) + " > to=" + NumberFormat.cpp(to));
        return overwrite(self, "UniformBackward0", () -> from + (to - from) * uniform(g, self.dtype()));
    }

    static Tensor normal_(Tensor self, Generator g, double mean, double std) {
        checkStd(std);
        requireFloating("normal_kernel_cpu", self.dtype());
        return overwrite(self, "NormalBackward0", () -> mean + std * g.nextGaussian());
    }

    /**
     * {@code random_(from, to)}: integers uniform in [from, to) stored in self's dtype (the tutorials' BCE target
     * {@code torch.empty(3).random_(2)}). One-argument {@code random_(to)} is {@code random_(0, to)}, as in PyTorch,
     * whose node names tell the two calls apart.
     */
    static Tensor random_(Tensor self, Generator g, long from, long to, String gradFn) {
        checkRandomRange(from, to, self.dtype());
        long range = to - from;
        return overwriteLongs(self, gradFn, () -> from + uniformBelow(g, range));
    }

    /** {@code bernoulli_(p)}: any dtype, including integers and bool. */
    static Tensor bernoulli_(Tensor self, Generator g, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli_ expects p to be in [0, 1], but got p=" + NumberFormat.cpp(p));
        return overwrite(self, "BernoulliBackward2", () -> g.nextDouble() < p ? 1 : 0);
    }

    /** {@code bernoulli_(p)} with a tensor of probabilities broadcast to self's shape. */
    static Tensor bernoulli_(Tensor self, Generator g, Tensor p) {
        double[] probs = p.detach().expand(self.layout().shape()).toDoubleArray();
        for (double q : probs) if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException(P_RANGE);
        int[] at = {0};
        return overwrite(self, "BernoulliBackward1", () -> g.nextDouble() < probs[at[0]++] ? 1 : 0);
    }

    // ------------------------------------------------------------ helpers

    /** Uniform in [0, 1) with as many random bits as the dtype's significand holds, so it never rounds up to 1. */
    static double uniform(Generator g, DType dtype) {
        int digits = switch (dtype) {
            case FLOAT64 -> 53;
            case FLOAT16 -> 11;
            case BFLOAT16 -> 8;
            default -> 24;
        };
        return (g.nextLong() >>> (64 - digits)) * Math.scalb(1.0, -digits);
    }

    private static void checkStd(double std) {
        if (!(std >= 0)) throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + NumberFormat.cpp(std));
    }

    static void requireFloating(String kernel, DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + TypePromotion.typeName(dtype) + "'");
    }

    static Tensor sample(int[] shape, DType dtype, DoubleSupplier next) {
        Creation.checkShape(shape);
        HostStorage h = HostStorage.allocate(dtype, Shape.numel(shape), Backends.cpu());
        for (int i = 0; i < h.size(); i++) h.setDouble(i, next.getAsDouble());
        return new Tensor(h, Layout.contiguous(shape));
    }

    /**
     * Fills self in place (checked like any in-place op). Inside a graph the samples get PyTorch's node for
     * the sampler, whose gradient is zero: the result no longer depends on self's old values.
     */
    static Tensor overwrite(Tensor self, String gradFn, DoubleSupplier next) {
        Autograd.checkInplace(self);
        return overwrite(self, gradFn, sample(self.layout().shape(), self.dtype(), next));
    }

    /** As {@link #overwrite(Tensor, String, DoubleSupplier)} for integers, which a double would round past 2^53. */
    static Tensor overwriteLongs(Tensor self, String gradFn, LongSupplier next) {
        Autograd.checkInplace(self);
        HostStorage h = HostStorage.allocate(self.dtype(), self.numel(), Backends.cpu());
        for (int i = 0; i < h.size(); i++) h.setLong(i, next.getAsLong());
        return overwrite(self, gradFn, new Tensor(h, Layout.contiguous(self.layout().shape())));
    }

    private static Tensor overwrite(Tensor self, String gradFn, Tensor hostValues) {
        Tensor values = toDevice(hostValues, self.device());
        if (Autograd.isRecording(self))
            return InPlace.commit(self, Autograd.record(gradFn, values, self, c -> new Tensor[] {Tensor.zerosLike(c.grad())}));
        self.backend().copy(values.strided(), self.strided());
        self.bumpVersion();
        return self;
    }

    static Tensor toDevice(Tensor host, Device device) {
        if (device.isCpu()) return host;
        Backend b = Backends.forDevice(device);
        return new Tensor(b.fromHost((HostStorage) host.storage(), device), host.layout());
    }
}

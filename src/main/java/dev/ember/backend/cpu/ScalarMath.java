package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.UnaryOp;

/**
 * Scalar definitions of every elementwise primitive, in double and in long arithmetic. The vectorised
 * float32 loops are fast paths that must agree with these; everything else computes through them.
 */
final class ScalarMath {
    private ScalarMath() {}

    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    static double unary(UnaryOp op, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> x > 0 ? 1 : x < 0 ? -1 : 0; // NaN and -0.0 give +0, as torch.sign does (signum keeps -0.0)
            case RECIPROCAL -> 1.0 / x;
            case SQUARE -> x * x;
            case EXP -> Math.exp(x);
            case EXP2 -> Math.pow(2, x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> positiveNaN(Math.log(x));
            case LOG2 -> positiveNaN(Math.log(x) / Math.log(2));
            case LOG10 -> positiveNaN(Math.log10(x));
            case LOG1P -> positiveNaN(Math.log1p(x)); // float32 differs: Elementwise.unaryFloat
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case SIN -> Double.isNaN(x) ? NEGATIVE_NAN : Math.sin(x);
            case COS -> Double.isNaN(x) ? NEGATIVE_NAN : Math.cos(x);
            case TAN -> Double.isNaN(x) ? NEGATIVE_NAN : Math.tan(x);
            case ASIN -> Math.abs(x) > 1 ? Math.copySign(Double.NaN, -x) : Math.asin(x);
            case ACOS -> Double.isNaN(x) ? Double.NaN : Math.abs(x) > 1 ? NEGATIVE_NAN : Math.acos(x);
            case ATAN -> Math.atan(x);
            case SINH -> Math.sinh(x);
            case COSH -> Math.cosh(x);
            case TANH -> Double.isNaN(x) ? NEGATIVE_NAN : Math.tanh(x);
            case ASINH -> asinh(x);
            case ACOSH -> Double.isNaN(x) ? x : x < 1 ? NEGATIVE_NAN : acosh(x);
            case ATANH -> Double.isNaN(x) ? x : Math.abs(x) > 1 ? NEGATIVE_NAN : 0.5 * Math.log1p(2 * x / (1 - x));
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case RELU -> x < 0 ? 0.0 : x;  // NaN and -0.0 pass through, as PyTorch's clamp_min(0)
            case GELU -> 0.5 * x * (1 + erf(x / SQRT_2));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
            case SILU -> x / (1.0 + Math.exp(-x));
            case ERF -> positiveNaN(erf(x));
            case ERFC -> positiveNaN(SpecialMath.erfc(x));
            case ERFINV -> Double.isNaN(x) ? x : SpecialMath.erfinv(x);
            case LGAMMA -> SpecialMath.lgamma(x);
            case DIGAMMA -> SpecialMath.digamma(x);
            case I0 -> Bessel.besselI(0, x, false);
            case I0E -> Bessel.besselI(0, x, true);
            case I1 -> Bessel.besselI(1, x, false);
            case I1E -> Bessel.besselI(1, x, true);
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Double.isNaN(x) ? x : Math.rint(x);
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case FRAC -> x - (x < 0 ? Math.ceil(x) : Math.floor(x));
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case ISNAN -> Double.isNaN(x) ? 1 : 0;
            case ISINF -> Double.isInfinite(x) ? 1 : 0;
            case ISFINITE -> Double.isFinite(x) ? 1 : 0;
            case SIGNBIT -> (Double.doubleToRawLongBits(x) < 0) ? 1 : 0;
            case BITWISE_NOT -> throw new IllegalArgumentException("\"bitwise_not_cpu\" not implemented for 'Float'");
        };
    }

    /*
     * NaN signs, which show in signbit, copysign and the std::hash that orders unique(sorted=False), are PyTorch's (Sleef
     * and glibc) rather than Java's intrinsics' (x86's default -nan): log, log2 and log10 give +nan even for a -nan;
     * asin outside [-1, 1] a NaN of the opposite sign; acos -nan, and +nan for any NaN; acosh and atanh -nan, a NaN
     * passing through; sin, cos, tan and tanh -nan for any NaN; erf and erfc +nan; erfinv and round pass a NaN with its
     * sign; float64 log1p +nan (float32 log1p -nan below -1, a NaN passing through). (sinh, cosh, sigmoid and logit differ
     * between PyTorch's vector and scalar loops: not followed.)
     */
    private static double positiveNaN(double r) { return Double.isNaN(r) ? Double.NaN : r; }

    private static final double NEGATIVE_NAN = Double.longBitsToDouble(0xFFF8_0000_0000_0000L);

    static long unary(UnaryOp op, long x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case SQUARE -> x * x;
            case RELU -> Math.max(x, 0);
            case FLOOR, CEIL, ROUND, TRUNC -> x;
            case FRAC -> 0;
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case BITWISE_NOT -> ~x;
            case ISNAN, ISINF -> 0;
            case ISFINITE -> 1;
            case SIGNBIT -> x < 0 ? 1 : 0;
            default -> throw new IllegalArgumentException("unary op " + op.name().toLowerCase() + " is not defined for integer tensors");
        };
    }

    /** All bits set: the NaN of a compare mask OR'ed into a result, as PyTorch's AVX2 kernels make it (-nan). */
    static final double MASK_NAN = Double.longBitsToDouble(-1L);

    /**
     * The ops whose PyTorch CPU kernel gives another NaN (or ±0) in its vectorized loop than in its scalar one; which
     * loop an element meets depends on where it sits, see {@link #vectorBody}.
     */
    static boolean hasVectorForm(BinaryOp op) {
        return switch (op) {
            case MAXIMUM, MINIMUM, ATAN2, POW, FMOD, REMAINDER, HYPOT -> true;
            default -> false;
        };
    }


    /**
     * An element in PyTorch's vectorized loop (AVX2, Sleef): maximum, minimum and atan2 give {@link #MASK_NAN} for any
     * NaN operand (an isnan mask OR'ed in), and maximum/minimum b on a tie (±0), as vmaxps/vminps; pow the mask NaN
     * where an operand is NaN and +nan for a negative base's fractional power; hypot +nan. Sleef's fmod (remainder adds b to it)
     * gives +nan for a zero divisor, a NaN x's own NaN, and otherwise (an infinite x, a NaN divisor) the NaN of the
     * sign opposite to x's.
     */
    static double binaryVectorLane(BinaryOp op, double a, double b) {
        boolean nanIn = Double.isNaN(a) || Double.isNaN(b);
        switch (op) {
            case MAXIMUM: return nanIn ? MASK_NAN : a > b ? a : b;
            case MINIMUM: return nanIn ? MASK_NAN : a < b ? a : b;
            case ATAN2: return nanIn ? MASK_NAN : binary(op, a, b);
            case HYPOT: return Math.hypot(a, b); // +nan
            case POW: {
                double r = binary(op, a, b);
                return !Double.isNaN(r) ? r : nanIn ? MASK_NAN : Double.NaN;
            }
            default: {
                double r = binary(op, a, b);
                if (!Double.isNaN(r)) return r;
                if (b == 0) return Double.NaN;
                boolean negative = Double.doubleToRawLongBits(a) < 0;
                return negative == Double.isNaN(a) ? NEGATIVE_NAN : Double.NaN;
            }
        }
    }

    /**
     * How many leading elements of a contiguous (or broadcast-scalar) inner run of {@code n} PyTorch's vectorized
     * loop takes: whole blocks of two AVX2 vectors (16 floats, 8 doubles); the rest, and every strided run, goes
     * through its scalar loop. One thread's view: PyTorch's threads each give their own chunk a tail.
     */
    static int vectorBody(DType t, int n) {
        int block = t == DType.FLOAT32 ? 16 : t == DType.FLOAT64 ? 8 : 0;
        return block == 0 ? 0 : n - n % block;
    }

    /** glibc's fmod: x's NaN, else y's, else the invalid operation's -nan (x infinite or y zero); Java's % makes +nan. */
    private static double fmod(double a, double b) {
        if (Double.isNaN(a)) return a;
        if (Double.isNaN(b)) return b;
        return Double.isInfinite(a) || b == 0 ? NEGATIVE_NAN : a % b;
    }

    static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            // PyTorch computes add/sub as a + alpha * b, and both NaN its result is b's (its sign kept: alpha * NaN is
            // that NaN); mul's too. x86 alone would give a's
            case ADD -> Double.isNaN(b) ? b : a + b;
            case SUB -> Double.isNaN(b) ? b : a - b;
            case MUL -> Double.isNaN(b) ? b : a * b;
            case DIV -> a / b;
            case FLOOR_DIVIDE -> floorDivide(a, b);
            case TRUNC_DIVIDE -> {
                double q = a / b;
                yield q < 0 ? Math.ceil(q) : Math.floor(q);
            }
            case REMAINDER -> {
                double m = fmod(a, b);
                yield m != 0 && (b < 0) != (m < 0) ? m + b : m;
            }
            case FMOD -> fmod(a, b);
            case POW -> pow(a, b);
            // PyTorch's scalar loop: quiet_NaN (+nan) for any NaN, else std::max/std::min, which keep a on a tie (±0)
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : a < b ? b : a;
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : b < a ? b : a;
            // clamp's bounds: a NaN bound gives NaN, and a tie keeps the input (clamp(-0.0, min=0.0) is -0.0)
            case CLAMP_MIN -> Double.isNaN(b) ? b : a < b ? b : a;
            case CLAMP_MAX -> Double.isNaN(b) ? b : a > b ? b : a;
            case ATAN2 -> Math.atan2(a, b);
            // std::hypot: an infinity wins over a NaN, then x's NaN, then y's (Math.hypot makes its own NaN)
            case HYPOT -> Double.isInfinite(a) || Double.isInfinite(b) ? Double.POSITIVE_INFINITY : Double.isNaN(a) ? a : Double.isNaN(b) ? b : Math.hypot(a, b);
            case LOGADDEXP -> logaddexp(a, b, 1);
            case LOGADDEXP2 -> logaddexp(a, b, Math.log(2));
            case COPYSIGN -> Math.copySign(a, Double.isNaN(b) ? (Double.doubleToRawLongBits(b) < 0 ? -1.0 : 1.0) : b);
            case HEAVISIDE -> a == 0 ? b : a > 0 ? 1 : 0; // NaN is neither: 0, as PyTorch's kernel
            case ZETA -> SpecialMath.zeta(a, b);
            case IGAMMA -> SpecialMath.igamma(a, b);
            case IGAMMAC -> SpecialMath.igammac(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0) ? 1 : 0;
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, LSHIFT, RSHIFT, GCD, LCM ->
                    throw new IllegalArgumentException("\"" + op.name().toLowerCase() + "_cpu\" not implemented for floating types");
        };
    }

    static long binary(BinaryOp op, long a, long b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV, FLOOR_DIVIDE -> {
                if (b == 0) throw new ArithmeticException("ZeroDivisionError");
                yield Math.floorDiv(a, b);
            }
            case TRUNC_DIVIDE -> {
                // PyTorch's div_trunc for integers divides exactly (no float round trip) and refuses zero
                if (b == 0) throw new ArithmeticException("ZeroDivisionError");
                yield a / b;
            }
            case REMAINDER -> {
                if (b == 0) throw new ArithmeticException("ZeroDivisionError");
                yield Math.floorMod(a, b);
            }
            case FMOD -> {
                if (b == 0) throw new ArithmeticException("ZeroDivisionError");
                yield a % b;
            }
            case POW -> powLong(a, b);
            case MAXIMUM -> Math.max(a, b);
            case MINIMUM -> Math.min(a, b);
            case CLAMP_MIN -> Math.max(a, b);
            case CLAMP_MAX -> Math.min(a, b);
            case HEAVISIDE -> a == 0 ? b : a > 0 ? 1 : 0;
            case ATAN2, HYPOT, LOGADDEXP, LOGADDEXP2, COPYSIGN, ZETA, IGAMMA, IGAMMAC ->
                    throw new IllegalArgumentException(op.name().toLowerCase() + " needs floating inputs");
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0) ? 1 : 0;
            case BITWISE_AND -> a & b;
            case BITWISE_OR -> a | b;
            case BITWISE_XOR -> a ^ b;
            // the count arrives masked to the shift width of x86's shl/sar (Elementwise.binary), as PyTorch 1.13's kernels run
            case LSHIFT -> a << b;
            case RSHIFT -> a >> b;
            case GCD -> gcd(a, b);
            case LCM -> {
                long g = gcd(a, b);
                yield g == 0 ? 0 : Math.abs(a / g * b);
            }
        };
    }

    /** Euclid's algorithm on the magnitudes, as PyTorch's calc_gcd: gcd(0, 0) is 0. */
    private static long gcd(long a, long b) {
        a = Math.abs(a);
        b = Math.abs(b);
        while (a != 0) {
            long c = a;
            a = b % a;
            b = c;
        }
        return b;
    }

    /** PyTorch's div_floor for floating types: exact floor of the true quotient, with the sign of zero kept. */
    static double floorDivide(double a, double b) {
        if (b == 0) return a / b;
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) div -= 1;
        if (div == 0) return Math.copySign(0.0, a / b);
        double fl = Math.floor(div);
        return div - fl > 0.5 ? fl + 1 : fl;
    }

    /** asinh on |x| with the sign put back: log(x + sqrt(x^2 + 1)) cancels for negative x and overflows past 1e154. */
    private static double asinh(double x) {
        double a = Math.abs(x);
        if (Double.isNaN(x) || Double.isInfinite(x) || x == 0) return x;
        double r = a > 1e8 ? Math.log(a) + Math.log(2) : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(r, x);
    }

    /** acosh, NaN below 1 (where log(x + sqrt(x^2 - 1)) would give -inf for large negative x). */
    private static double acosh(double x) {
        if (!(x >= 1)) return Double.NaN;
        if (x > 1e8) return Math.log(x) + Math.log(2);
        double t = x - 1;
        return Math.log1p(t + Math.sqrt(2 * t + t * t));
    }

    /**
     * log(e^a + e^b) in the base whose log is {@code ln}, as PyTorch's kernel: an infinity equal on both sides is the
     * answer itself (inf - inf would be NaN), else max + log1p(base^-|a - b|).
     */
    private static double logaddexp(double a, double b, double ln) {
        if (Double.isInfinite(a) && a == b) return a;
        double m = Math.max(a, b);
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.NaN;
        return m + Math.log1p(Math.exp(-Math.abs(a - b) * ln)) / ln;
    }

    /** C's pow, which PyTorch calls: unlike Math.pow, 1 ** y is 1 for every y (NaN too) and (-1) ** ±inf is 1. */
    static double pow(double a, double b) {
        if (a == 1.0 || (a == -1.0 && Double.isInfinite(b))) return 1.0;
        return Math.pow(a, b);
    }

    static long powLong(long base, long exp) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return (exp & 1) == 0 ? 1 : -1;
            // powi: a tensor exponent gives 0 (only a Python-int exponent is refused, in Pointwise.pow)
            return 0;
        }
        long result = 1;
        while (exp > 0) {
            if ((exp & 1) == 1) result *= base;
            base *= base;
            exp >>= 1;
        }
        return result;
    }

    /**
     * erf to double precision: the all-positive series erf(x) = 2/sqrt(pi) e^{-x^2} sum (2x^2)^n x / (2n+1)!!
     * below 2.5 (no cancellation), Lentz's continued fraction for erfc above.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax > 6) return Math.copySign(1.0, x);
        double r;
        if (ax < 2.5) {
            double x2 = ax * ax, term = ax, sum = ax;
            for (int n = 1; n < 200; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
                if (term < sum * 1e-17) break;
            }
            r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        } else {
            r = 1 - erfcLarge(ax);
        }
        return Math.copySign(r, x);
    }

    /** erfc for x >= 0.5: 1 - erf(x) loses at most a few digits below 2.5, the continued fraction none above. */
    static double erfcPositive(double x) { return x < 2.5 ? 1 - erf(x) : erfcLarge(x); }

    /** erfc(x) for x >= 2.5 by the continued fraction x + 1/2 / (x + 1 / (x + 3/2 / (x + ...))). */
    private static double erfcLarge(double x) {
        double tiny = 1e-300, f = x, c = x, d = 0;
        for (int k = 1; k < 300; k++) {
            double a = k / 2.0;
            d = x + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = x + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
    }
}

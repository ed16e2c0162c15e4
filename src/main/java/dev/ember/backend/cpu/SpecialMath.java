package dev.ember.backend.cpu;

/**
 * The special functions behind torch's lgamma, digamma, polygamma (through the Hurwitz zeta), erfinv and erfc, in
 * double precision. PyTorch computes float32 inputs in float (Cephes' single-precision forms); computing in double
 * and rounding once lands within an ulp of those.
 */
final class SpecialMath {
    private SpecialMath() {}

    /** Lanczos coefficients for g = 7, n = 9 (the set Numerical Recipes and Boost tabulate): ~1e-15 relative. */
    private static final double LANCZOS_G = 7;
    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    /** log|Gamma(x)|: +inf at 0 and the negative integers, as C's lgamma. */
    static double lgamma(double x) {
        if (Double.isNaN(x)) return x;
        if (Double.isInfinite(x)) return Double.POSITIVE_INFINITY;
        if (x <= 0 && x == Math.rint(x)) return Double.POSITIVE_INFINITY;
        if (x == 1 || x == 2) return 0; // exact zeros the series only approaches
        if (Math.abs(x) < 1e-300) return -Math.log(Math.abs(x)); // pi / sin(pi x) would overflow; -gamma * x is below an ulp
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x); // reflection
        double z = x - 1, sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
        double t = z + LANCZOS_G + 0.5;
        return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /**
     * psi(x) = Gamma'(x) / Gamma(x), as PyTorch's calc_digamma: -inf at +0 and +inf at -0 (copysign(inf, -x)), NaN at
     * the negative integers, the reflection psi(1 - x) - pi / tan(pi x) below 0, and the asymptotic series after
     * shifting x past 10.
     */
    static double digamma(double x) {
        if (x == 0) return Math.copySign(Double.POSITIVE_INFINITY, -x);
        if (Double.isNaN(x)) return x; // a NaN passes, sign and all, as in PyTorch's
        if (x == Double.NEGATIVE_INFINITY) return Double.NaN;
        if (x < 0) {
            if (x == Math.rint(x)) return Double.NaN;
            // tan(pi r) of the fractional part r keeps digits tan(pi x) loses for large |x|
            double r = x - (x < 0 ? Math.ceil(x) : Math.floor(x));
            return digamma(1 - x) - Math.PI / Math.tan(Math.PI * r);
        }
        double result = 0;
        while (x < 10) {
            result -= 1 / x;
            x += 1;
        }
        if (x == Double.POSITIVE_INFINITY) return x;
        // B_2k / (2k) for k = 1..7
        double z = 1 / (x * x);
        double series = z * (1.0 / 12 - z * (1.0 / 120 - z * (1.0 / 252 - z * (1.0 / 240 - z * (1.0 / 132 - z * (691.0 / 32760 - z / 12.0))))));
        return result + Math.log(x) - 0.5 / x - series;
    }

    /** (2k)! / B_2k for k = 1..12, the Euler-Maclaurin coefficients of the Hurwitz zeta. */
    private static final double[] ZETA_A = {12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
            -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15, 1.8152105401943546773e17,
            -7.1661652561756670113e18};
    private static final double MACHEP = 1.11022302462515654042e-16;

    /**
     * The Hurwitz zeta sum_k (k + q)^-x (torch.special.zeta), by Euler-Maclaurin as Cephes: 1 at x = 1 diverges (+inf),
     * x < 1 is NaN, and q at 0 or a negative integer is +inf (NaN for a non-integer x with q < 0).
     */
    static double zeta(double x, double q) {
        if (x == 1) return Double.POSITIVE_INFINITY;
        if (x < 1 || Double.isNaN(x) || Double.isNaN(q)) return Double.NaN;
        if (q <= 0) {
            if (q == Math.floor(q)) return Double.POSITIVE_INFINITY;
            if (x != Math.floor(x)) return Double.NaN;
        }
        double s = Math.pow(q, -x), a = q, b = 0;
        int i = 0;
        while (i < 9 || a <= 9) {
            i++;
            a += 1;
            b = Math.pow(a, -x);
            s += b;
            if (Math.abs(b / s) < MACHEP) return s;
        }
        double w = a;
        s += b * w / (x - 1);
        s -= 0.5 * b;
        double fac = 1, k = 0;
        for (double coef : ZETA_A) {
            fac *= x + k;
            b /= w;
            double t = fac * b / coef;
            s += t;
            if (Math.abs(t / s) < MACHEP) return s;
            k += 1;
            fac *= x + k;
            b /= w;
            k += 1;
        }
        return s;
    }

    /**
     * The regularized lower incomplete gamma P(a, x) (torch.igamma), with PyTorch's edge values: NaN for a negative
     * argument or a = x = 0, 1 at a = 0 or x = inf, 0 at x = 0 or a = inf (NaN when both are infinite).
     */
    static double igamma(double a, double x) { return incompleteGamma(a, x, false); }

    /** The regularized upper incomplete gamma Q(a, x) = 1 - P(a, x) (torch.igammac), computed on the side that keeps its digits. */
    static double igammac(double a, double x) { return incompleteGamma(a, x, true); }

    private static double incompleteGamma(double a, double x, boolean upper) {
        if (a < 0 || x < 0 || Double.isNaN(a) || Double.isNaN(x) || (a == 0 && x == 0) || (Double.isInfinite(a) && Double.isInfinite(x)))
            return Double.NaN;
        double lower;
        if (a == 0 || Double.isInfinite(x)) lower = 1;
        else if (x == 0 || Double.isInfinite(a)) lower = 0;
        else if (x < a + 1) lower = lowerSeries(a, x);
        else {
            double q = upperFraction(a, x);
            return upper ? q : 1 - q;
        }
        return upper ? 1 - lower : lower;
    }

    /** x^a e^-x / Gamma(a), the factor both expansions share, in logs so that large a does not overflow. */
    private static double gammaWeight(double a, double x) { return Math.exp(a * Math.log(x) - x - lgamma(a)); }

    /** P(a, x) by its power series sum_n x^n / (a (a+1) ... (a+n)), which converges fast below x = a + 1. */
    private static double lowerSeries(double a, double x) {
        double term = 1 / a, sum = term;
        for (int n = 1; n < 100000 && Math.abs(term) > Math.abs(sum) * MACHEP; n++) {
            term *= x / (a + n);
            sum += term;
        }
        return sum * gammaWeight(a, x);
    }

    /** Q(a, x) by its continued fraction (Legendre's), evaluated forwards with Lentz's method, for x >= a + 1. */
    private static double upperFraction(double a, double x) {
        final double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 100000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < MACHEP) break;
        }
        return h * gammaWeight(a, x);
    }

    private static final double[] ERFINV_A = {0.886226899, -1.645349621, 0.914624893, -0.140543331};
    private static final double[] ERFINV_B = {-2.118377725, 1.442710462, -0.329097515, 0.012229801};
    private static final double[] ERFINV_C = {-1.970840454, -1.624906493, 3.429567803, 1.641345311};
    private static final double[] ERFINV_D = {3.543889200, 1.637067800};

    /**
     * The inverse of erf on (-1, 1), ±inf at ±1, NaN outside, by PyTorch's calc_erfinv (Pavlis' rational
     * approximation, central below |y| = 0.7, then two Newton steps on erf), so its answers agree with PyTorch's to
     * the last digits even where two steps leave them short of the true inverse (y within 1e-15 of ±1).
     */
    static double erfinv(double y) {
        double ay = Math.abs(y);
        if (Double.isNaN(y) || ay > 1) return Double.NaN;
        if (ay == 1) return Math.copySign(Double.POSITIVE_INFINITY, y);
        double x;
        if (ay <= 0.7) {
            double z = y * y;
            double num = ((ERFINV_A[3] * z + ERFINV_A[2]) * z + ERFINV_A[1]) * z + ERFINV_A[0];
            double dem = (((ERFINV_B[3] * z + ERFINV_B[2]) * z + ERFINV_B[1]) * z + ERFINV_B[0]) * z + 1.0;
            x = y * num / dem;
        } else {
            double z = Math.sqrt(-Math.log((1.0 - ay) / 2.0));
            double num = ((ERFINV_C[3] * z + ERFINV_C[2]) * z + ERFINV_C[1]) * z + ERFINV_C[0];
            double dem = (ERFINV_D[1] * z + ERFINV_D[0]) * z + 1.0;
            x = Math.copySign(num, y) / dem;
        }
        for (int k = 0; k < 2; k++) x -= (ScalarMath.erf(x) - y) / (2.0 / Math.sqrt(Math.PI) * Math.exp(-x * x));
        return x;
    }

    /** erfc(x) = 1 - erf(x) without the cancellation: the continued fraction past 2.5 keeps erfc(10) = 2.1e-45's digits. */
    static double erfc(double x) {
        if (Double.isNaN(x)) return x;
        if (x < 0.5) return 1 - ScalarMath.erf(x);
        if (x > 27.3) return 0; // below the smallest double
        return ScalarMath.erfcPositive(x);
    }
}

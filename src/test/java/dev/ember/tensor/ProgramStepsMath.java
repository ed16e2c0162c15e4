package dev.ember.tensor;

import dev.ember.testing.Kw;

import java.util.List;

import static dev.ember.tensor.ProgramSteps.op;

/**
 * The steps of tools/fixtures/program_steps_math.py (diff, kron, vdot, aminmax, quantiles, isin, argwhere, flips,
 * atleast, cov/corrcoef, trapezoid rules, gcd/lcm, shifts, positive, fix, frexp, nextafter, Bessel functions, mvlgamma,
 * lerp with a weight tensor), registered into {@link ProgramSteps}' table as program_ops.PY lists them.
 */
final class ProgramStepsMath {
    private ProgramStepsMath() {}

    static void register() {
        op("diff", (a, k) -> a[0].diff(k.i("n"), k.i("dim")));
        op("diff_pa", (a, k) -> a[0].diff(k.i("n"), k.i("dim"), a[1], a[2]));
        op("kron", (a, k) -> a[0].kron(a[1]));
        op("vdot", (a, k) -> a[0].vdot(a[1]));
        op("aminmax", (a, k) -> {
            Tensor.MinMax m = a[0].aminmax(dim(k), k.b("keepdim"));
            return List.of(m.min(), m.max());
        });
        op("quantile", (a, k) -> a[0].quantile(k.d("q"), dim(k), k.b("keepdim"), k.s("mode")));
        op("nanquantile", (a, k) -> a[0].nanquantile(k.d("q"), dim(k), k.b("keepdim"), k.s("mode")));
        op("quantile_t", (a, k) -> a[0].quantile(a[1], dim(k), k.b("keepdim"), k.s("mode")));
        op("isin", (a, k) -> a[0].isin(a[1], k.b("unique"), k.b("invert")));
        op("isin_s", (a, k) -> k.isInt("s") ? a[0].isin(k.l("s")) : a[0].isin(k.d("s")));
        op("argwhere", (a, k) -> a[0].argwhere());
        op("fliplr", (a, k) -> a[0].fliplr());
        op("flipud", (a, k) -> a[0].flipud());
        op("atleast_1d", (a, k) -> a[0].atleast1d());
        op("atleast_2d", (a, k) -> a[0].atleast2d());
        op("atleast_3d", (a, k) -> a[0].atleast3d());
        op("cov", (a, k) -> a[0].cov(k.l("correction"), null, null));
        op("cov_w", (a, k) -> a[0].cov(k.l("correction"), a[1], a[2]));
        op("corrcoef", (a, k) -> a[0].corrcoef());
        op("trapezoid_dx", (a, k) -> a[0].trapezoid(k.d("dx"), k.i("dim")));
        op("trapz_x", (a, k) -> a[0].trapz(a[1], k.i("dim")));
        op("cumulative_trapezoid_dx", (a, k) -> a[0].cumulativeTrapezoid(k.d("dx"), k.i("dim")));
        op("cumulative_trapezoid_x", (a, k) -> a[0].cumulativeTrapezoid(a[1], k.i("dim")));
        op("gcd", (a, k) -> a[0].gcd(a[1]));
        op("lcm", (a, k) -> a[0].lcm(a[1]));
        op("gcd_", (a, k) -> a[0].gcd_(a[1]));
        op("bitwise_left_shift", (a, k) -> a[0].bitwiseLeftShift(a[1]));
        op("bitwise_right_shift", (a, k) -> a[0].bitwiseRightShift(a[1]));
        op("bitwise_left_shift_s", (a, k) -> a[0].bitwiseLeftShift(k.l("s")));
        op("bitwise_right_shift_s", (a, k) -> a[0].bitwiseRightShift(k.l("s")));
        op("positive", (a, k) -> a[0].positive());
        op("fix", (a, k) -> a[0].fix());
        op("fix_", (a, k) -> a[0].fix_());
        op("frexp", (a, k) -> {
            Tensor.MantissaExponent me = a[0].frexp();
            return List.of(me.mantissa(), me.exponent());
        });
        op("nextafter", (a, k) -> a[0].nextafter(a[1]));
        op("i0", (a, k) -> a[0].i0());
        op("special_i0e", (a, k) -> a[0].specialI0e());
        op("special_i1", (a, k) -> a[0].specialI1());
        op("special_i1e", (a, k) -> a[0].specialI1e());
        op("mvlgamma", (a, k) -> a[0].mvlgamma(k.i("p")));
        op("lerp_t", (a, k) -> a[0].lerp(a[1], a[2]));
    }

    private static Integer dim(Kw k) { return k.has("dim") ? k.i("dim") : null; }
}

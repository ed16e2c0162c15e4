package dev.ember.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers spelled the way PyTorch's output spells them: Python's {@code format()} specs for tensor printing,
 * and C++ {@code ostream <<} for values quoted in error messages. Both round the exact binary value half to
 * even, which {@link BigDecimal} reproduces and {@link String#format} does not.
 */
final class NumberFormat {
    private NumberFormat() {}

    /** Python's {@code "{:.Nf}".format(v)}: the sign survives rounding to zero ({@code -0.0000}). */
    static String fixed(double v, int precision) {
        if (!Double.isFinite(v)) return nonFinite(v);
        String s = new BigDecimal(v).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return negative(v) && !s.startsWith("-") ? "-" + s : s;
    }

    /** Python's {@code "{:.Ne}".format(v)}: {@code 1.2346e+08}, exponent with at least two digits. */
    static String scientific(double v, int precision) {
        if (!Double.isFinite(v)) return nonFinite(v);
        String sign = negative(v) ? "-" : "";
        if (v == 0) return sign + "0" + (precision > 0 ? "." + "0".repeat(precision) : "") + "e+00";
        BigDecimal d = new BigDecimal(Math.abs(v)).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
        String mantissa = precision > 0 ? digits.charAt(0) + "." + digits.substring(1) : digits;
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }

    /** C++ {@code std::ostream << double} with the default precision 6 ({@code %g}): {@code 0.5}, {@code 1e-07}, {@code -1}. */
    static String cpp(double v) {
        if (Double.isNaN(v)) return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return negative(v) ? "-0" : "0";
        BigDecimal d = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exponent = d.precision() - 1 - d.scale();
        if (exponent < -4 || exponent >= 6) {
            String digits = stripZeros(d.unscaledValue().abs().toString());
            String mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
            return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        String s = d.toPlainString();
        if (s.contains(".")) s = stripZeros(s);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String stripZeros(String s) {
        int end = s.length();
        while (end > 1 && s.charAt(end - 1) == '0') end--;
        return s.substring(0, end);
    }

    private static boolean negative(double v) { return Double.doubleToRawLongBits(v) < 0; }

    private static String nonFinite(double v) { return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf"; }
}

package dev.ember.nn;

/** Python's printing of the values that extra_repr strings hold. */
final class Repr {
    private Repr() {}

    /** Python's {@code repr(float)}: shortest round-trip digits, {@code 1e-05} style below 1e-4 and from 1e16. */
    static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        var bd = new java.math.BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale();
        String sign = v < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
        }
        String plain = bd.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /** Python's tuple printing: {@code (3,)}, {@code (5, 5)}. */
    static String tuple(int[] v) {
        if (v.length == 1) return "(" + v[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(v[i]);
        return sb.append(')').toString();
    }

    static String bool(boolean b) { return b ? "True" : "False"; }

    /** An int or a tuple, as the user gave it (PyTorch prints pooling arguments unconverted). */
    static String intOrTuple(int[] v, boolean scalar) { return scalar ? String.valueOf(v[0]) : tuple(v); }
}

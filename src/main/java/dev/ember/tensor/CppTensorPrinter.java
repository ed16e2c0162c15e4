package dev.ember.tensor;

import java.util.Locale;

/**
 * A tensor of two or more dims as ATen's C++ {@code operator<<} prints it ({@code Formatting.cpp}), which some of
 * PyTorch's error messages embed: one number format per matrix, chosen from the magnitudes of its finite values,
 * columns wrapped at 80 characters, higher dims as {@code (i,j,.,.) = } blocks with the first dim counting fastest,
 * and a footer with the legacy type name and the sizes.
 */
final class CppTensorPrinter {
    private CppTensorPrinter() {}

    private static final int LINE_SIZE = 80;

    private enum Style { GENERAL, SCIENTIFIC, FIXED }

    private record Format(Style style, double scale, int width) {}

    static String print(Tensor t) {
        if (t.dim() < 2) throw new IllegalArgumentException("CppTensorPrinter prints tensors of two or more dims");
        StringBuilder out = new StringBuilder();
        int[] shape = t.shape();
        if (t.numel() > 0) {
            if (t.dim() == 2) printMatrix(out, t, 0);
            else printBlocks(out, t, shape);
        }
        out.append("[ ").append(typeName(t.dtype())).append('{');
        for (int i = 0; i < shape.length; i++) out.append(i == 0 ? "" : ",").append(shape[i]);
        return out.append("} ]").toString();
    }

    /** {@code Tensor::toString()}: the legacy Python name, except for the types that never had one. */
    private static String typeName(DType d) {
        return switch (d) {
            case BOOL -> "CPUBoolType";
            case BFLOAT16 -> "CPUBFloat16Type";
            default -> d.legacyTypeName();
        };
    }

    private static void printBlocks(StringBuilder out, Tensor t, int[] shape) {
        int outer = shape.length - 2;
        int[] counter = new int[outer];
        counter[0] = -1;
        boolean start = true;
        while (true) {
            // an odometer whose first digit turns fastest, as ATen's loop runs
            int i = 0;
            for (; i < outer; i++) {
                if (++counter[i] < shape[i]) break;
                if (i == outer - 1) return;
                counter[i] = 0;
            }
            if (!start) out.append('\n');
            start = false;
            out.append('(');
            Tensor m = t;
            for (int c : counter) {
                m = m.select(0, c);
                out.append(c + 1).append(',');
            }
            out.append(".,.) = \n");
            printMatrix(out, m, 1);
        }
    }

    private static void printMatrix(StringBuilder out, Tensor m, int indent) {
        int rows = m.size(0), cols = m.size(1);
        double[] v = m.toDoubleArray();
        Format f = format(v);
        String pad = " ".repeat(indent);
        out.append(pad);
        int perLine = (LINE_SIZE - indent) / (f.width() + 1);
        for (int first = 0; first < cols; ) {
            int last = Math.min(first + perLine, cols) - 1;
            if (perLine < cols) {
                if (first != 0) out.append('\n');
                out.append("Columns ").append(first + 1).append(" to ").append(last + 1).append(pad);
            }
            if (f.scale() != 1) out.append(general(f.scale())).append(" *\n").append(pad);
            for (int r = 0; r < rows; r++) {
                for (int c = first; c <= last; c++) {
                    out.append(padLeft(number(v[r * cols + c] / f.scale(), f.style()), f.width()));
                    if (c != last) out.append(' ');
                }
                out.append('\n');
                if (r != rows - 1) out.append(pad).append(f.scale() != 1 ? " " : "");
            }
            first = last + 1;
        }
    }

    /** ATen's {@code __printFormat}, quirks included (the largest value is picked by its signed value). */
    private static Format format(double[] v) {
        boolean intMode = true;
        for (double z : v) if (Double.isFinite(z) && z != Math.ceil(z)) { intMode = false; break; }
        int offset = 0;
        while (offset < v.length && !Double.isFinite(v[offset])) offset++;
        double expMin = 1, expMax = 1;
        if (offset < v.length) {
            expMin = expMax = Math.abs(v[offset]);
            for (double x : v) {
                double z = Math.abs(x);
                if (!Double.isFinite(z)) continue;
                if (z < expMin) expMin = z;
                if (x > expMax) expMax = z;
            }
            expMin = expMin != 0 ? Math.floor(Math.log10(expMin)) + 1 : 1;
            expMax = expMax != 0 ? Math.floor(Math.log10(expMax)) + 1 : 1;
        }
        if (intMode) return expMax > 9 ? new Format(Style.SCIENTIFIC, 1, 11) : new Format(Style.GENERAL, 1, (int) expMax + 1);
        if (expMax - expMin > 4) return new Format(Style.SCIENTIFIC, 1, Math.abs(expMax) > 99 || Math.abs(expMin) > 99 ? 12 : 11);
        if (expMax > 5 || expMax < 0) return new Format(Style.FIXED, Math.pow(10, expMax - 1), 7);
        return new Format(Style.FIXED, 1, expMax == 0 ? 7 : (int) expMax + 6);
    }

    private static String number(double x, Style style) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        return switch (style) {
            case GENERAL -> general(x);
            case SCIENTIFIC -> String.format(Locale.ROOT, "%.4e", x);
            case FIXED -> String.format(Locale.ROOT, "%.4f", x);
        };
    }

    /** C's {@code %g} with iostream's default precision 6: trailing zeros dropped, exponent from 1e6 or below 1e-4. */
    private static String general(double x) {
        if (x == 0) return 1 / x < 0 ? "-0" : "0";
        String sci = String.format(Locale.ROOT, "%.5e", x);
        int e = Integer.parseInt(sci.substring(sci.indexOf('e') + 1));
        if (e < -4 || e >= 6) return stripZeros(sci.substring(0, sci.indexOf('e'))) + sci.substring(sci.indexOf('e'));
        return stripZeros(String.format(Locale.ROOT, "%." + (5 - e) + "f", x));
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) return s;
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String padLeft(String s, int width) { return s.length() >= width ? s : " ".repeat(width - s.length()) + s; }
}

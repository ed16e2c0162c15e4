package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Java shapes of the Python values that optimizer and scheduler state dicts hold, so that a dict written
 * by Ember pickles to what PyTorch writes and a dict read from a PyTorch file loads here:
 * <ul>
 *   <li>{@code int} → {@link Long}, {@code float} → {@link Double}, {@code bool} → {@link Boolean},
 *       {@code str} → {@link String}, {@code None} → {@code null}, tensors → {@link Tensor};</li>
 *   <li>{@code list} → {@link List}, {@code tuple} → {@code Object[]} (Pyrolite's convention),
 *       {@code dict} → {@link Map} in insertion order ({@link LinkedHashMap}).</li>
 * </ul>
 * Values coming in ({@code Integer}, {@code Float}, {@code double[]}, any {@code Map} or {@code List}) are
 * normalized to these by {@link #normalize}. {@link #repr} and {@link #str} print them as Python does, for
 * PyTorch's error texts and {@code repr(optimizer)}.
 */
public final class PyValues {
    private PyValues() {}

    /** Normalizes a value to the shapes above; tensors are kept as they are (no copy). */
    public static Object normalize(Object v) {
        return switch (v) {
            case null -> null;
            case Tensor t -> t;
            case Long l -> l;
            case Integer i -> (long) i;
            case Short s -> (long) s;
            case Byte b -> (long) b;
            case Float f -> (double) f;
            case Double d -> d;
            case Boolean b -> b;
            case String s -> s;
            case double[] a -> {
                Object[] out = new Object[a.length];
                for (int i = 0; i < a.length; i++) out[i] = a[i];
                yield out;
            }
            case Object[] a -> {
                Object[] out = new Object[a.length];
                for (int i = 0; i < a.length; i++) out[i] = normalize(a[i]);
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object x : l) out.add(normalize(x));
                yield out;
            }
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (var e : m.entrySet()) out.put(normalize(e.getKey()), normalize(e.getValue()));
                yield out;
            }
            default -> throw new IllegalArgumentException("unsupported value of type " + v.getClass().getName()
                    + " (expected a number, bool, string, None, tensor, list, tuple or dict)");
        };
    }

    /** {@code copy.deepcopy}: containers are copied, tensors cloned (detached), scalars kept. */
    public static Object deepCopy(Object v) {
        return switch (v) {
            case Tensor t -> t.detach().clone();
            case Object[] a -> {
                Object[] out = new Object[a.length];
                for (int i = 0; i < a.length; i++) out[i] = deepCopy(a[i]);
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object x : l) out.add(deepCopy(x));
                yield out;
            }
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (var e : m.entrySet()) out.put(deepCopy(e.getKey()), deepCopy(e.getValue()));
                yield out;
            }
            case null, default -> normalize(v);
        };
    }

    /** A number's value as a double ({@code float(x)}), or a clear error naming the key. */
    public static double toDouble(Object v, String key) {
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (v instanceof Tensor t && t.numel() == 1) return t.item();
        throw new IllegalArgumentException("'" + key + "' must be a number, got " + typeName(v));
    }

    /** A tuple or list of numbers as doubles (for {@code betas}). */
    public static double[] toDoubles(Object v, String key) {
        List<?> items = v instanceof Object[] a ? List.of(a) : v instanceof List<?> l ? l : null;
        if (v instanceof double[] d) return d.clone();
        if (items == null) throw new IllegalArgumentException("'" + key + "' must be a tuple of numbers, got " + typeName(v));
        double[] out = new double[items.size()];
        for (int i = 0; i < out.length; i++) out[i] = toDouble(items.get(i), key);
        return out;
    }

    /** A Python tuple of floats. */
    public static Object[] tuple(double... values) {
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) out[i] = values[i];
        return out;
    }

    /** Python's name for a value's type, as PyTorch prints it in errors. */
    public static String typeName(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case Long l -> "int";
            case Integer i -> "int";
            case Double d -> "float";
            case Float f -> "float";
            case Boolean b -> "bool";
            case String s -> "str";
            case Object[] a -> "tuple";
            case List<?> l -> "list";
            case Map<?, ?> m -> "dict";
            case Tensor t -> "Tensor";
            default -> v.getClass().getSimpleName();
        };
    }

    /** {@code repr(x)} of a Python float: the shortest round-tripping digits, exponent form outside [1e-4, 1e16). */
    public static String repr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return 1 / d < 0 ? "-0.0" : "0.0";
        // Double.toString gives the shortest uniquely-identifying digits (JDK 19+), as Python's repr does.
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        // Java prints at least two digits, choosing the closest two (4.9E-324); Python may get away with one (5e-324).
        if (bd.precision() == 2) {
            BigDecimal down = bd.round(new java.math.MathContext(1, java.math.RoundingMode.FLOOR));
            BigDecimal up = bd.round(new java.math.MathContext(1, java.math.RoundingMode.CEILING));
            boolean downOk = down.doubleValue() == Math.abs(d), upOk = up.doubleValue() == Math.abs(d);
            BigDecimal exact = new BigDecimal(Math.abs(d));
            if (downOk && upOk) bd = exact.subtract(down).compareTo(up.subtract(exact)) <= 0 ? down : up;
            else if (downOk) bd = down;
            else if (upOk) bd = up;
            bd = bd.stripTrailingZeros();
        }
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
        if (digits.length() <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length()) + ".0";
        return sign + digits.substring(0, exp + 1) + "." + digits.substring(exp + 1);
    }

    /** {@code str(x)} for the values above, as Python prints them inside containers. */
    public static String str(Object v) {
        return switch (v) {
            case null -> "None";
            case Boolean b -> b ? "True" : "False";
            case Double d -> repr(d);
            case Float f -> repr(f);
            case String s -> "'" + s + "'";
            case Object[] a -> {
                StringBuilder sb = new StringBuilder("(");
                for (int i = 0; i < a.length; i++) sb.append(i > 0 ? ", " : "").append(str(a[i]));
                yield sb.append(a.length == 1 ? ",)" : ")").toString();
            }
            case List<?> l -> {
                StringBuilder sb = new StringBuilder("[");
                for (int i = 0; i < l.size(); i++) sb.append(i > 0 ? ", " : "").append(str(l.get(i)));
                yield sb.append("]").toString();
            }
            case Map<?, ?> m -> {
                StringBuilder sb = new StringBuilder("{");
                int i = 0;
                for (var e : m.entrySet()) sb.append(i++ > 0 ? ", " : "").append(str(e.getKey())).append(": ").append(str(e.getValue()));
                yield sb.append("}").toString();
            }
            default -> v.toString();
        };
    }
}

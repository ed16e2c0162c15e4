package dev.ember.model;

import dev.ember.tensor.DType;
import dev.ember.tensor.Idx;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's semantics for the values a traced graph computes with besides tensors: ints (Long, exact, overflow
 * refused), floats (Double), bools, tuples (List) such as {@code x.size()}, and the {@code operator} module's
 * arithmetic on any mix of them and tensors ({@code x.size(0) * 2}, {@code x + 1}, {@code 1 - x}).
 */
final class Py {
    private Py() {}

    static int toInt(long v, String fn, String what) {
        if (v != (int) v) throw new IllegalArgumentException(fn + "(): " + what + " = " + v + " is out of range for Ember (at most 2^31 - 1)");
        return (int) v;
    }

    private static Object num(Object v) { return v instanceof Boolean b ? (Long) (b ? 1L : 0L) : v; }

    private static boolean isNumber(Object v) { return v instanceof Long || v instanceof Double || v instanceof Boolean; }

    static Object add(Object a, Object b) {
        a = num(a);
        b = num(b);
        if (a instanceof Long x && b instanceof Long y) return Math.addExact(x, y);
        if (a instanceof Tensor x) return tensorScalar(x, b, "add");
        if (b instanceof Tensor y && isNumber(a)) return tensorScalar(y, a, "add");
        if (a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        if (isNumber(a) && isNumber(b)) return dbl(a) + dbl(b);
        throw unsupported("+", a, b);
    }

    static Object sub(Object a, Object b) {
        a = num(a);
        b = num(b);
        if (a instanceof Long x && b instanceof Long y) return Math.subtractExact(x, y);
        if (a instanceof Tensor x) return tensorScalar(x, b, "sub");
        if (b instanceof Tensor y && isNumber(a)) return y.rsub(dbl(a));
        if (isNumber(a) && isNumber(b)) return dbl(a) - dbl(b);
        throw unsupported("-", a, b);
    }

    static Object mul(Object a, Object b) {
        a = num(a);
        b = num(b);
        if (a instanceof Long x && b instanceof Long y) return Math.multiplyExact(x, y);
        if (a instanceof Tensor x) return tensorScalar(x, b, "mul");
        if (b instanceof Tensor y && isNumber(a)) return tensorScalar(y, a, "mul");
        if (a instanceof List<?> l && b instanceof Long n) return repeat(l, n);
        if (b instanceof List<?> l && a instanceof Long n) return repeat(l, n);
        if (isNumber(a) && isNumber(b)) return dbl(a) * dbl(b);
        throw unsupported("*", a, b);
    }

    static Object truediv(Object a, Object b) {
        a = num(a);
        b = num(b);
        if (a instanceof Tensor x) return tensorScalar(x, b, "div");
        if (b instanceof Tensor y && isNumber(a)) {
            Tensor base = y.isFloatingPoint() ? y : y.to(DType.FLOAT32);
            return Tensor.fullLike(base, dbl(a)).div(y);
        }
        if (isNumber(a) && isNumber(b)) {
            if (dbl(b) == 0) throw new ArithmeticException(a instanceof Long && b instanceof Long ? "division by zero" : "float division by zero");
            return dbl(a) / dbl(b);
        }
        throw unsupported("/", a, b);
    }

    static Object floordiv(Object a, Object b) {
        a = num(a);
        b = num(b);
        if (a instanceof Long x && b instanceof Long y) {
            if (y == 0) throw new ArithmeticException("integer division or modulo by zero");
            return Math.floorDiv(x, y);
        }
        if (a instanceof Tensor x) return x.div(b instanceof Tensor t ? t : scalarTensor(b), "floor");
        if (b instanceof Tensor y && isNumber(a)) return scalarTensor(a).div(y, "floor");
        if (isNumber(a) && isNumber(b)) {
            if (dbl(b) == 0) throw new ArithmeticException("float floor division by zero");
            return Math.floor(dbl(a) / dbl(b));
        }
        throw unsupported("//", a, b);
    }

    static Object mod(Object a, Object b) {
        a = num(a);
        b = num(b);
        if (a instanceof Long x && b instanceof Long y) {
            if (y == 0) throw new ArithmeticException("integer division or modulo by zero");
            return Math.floorMod(x, y);
        }
        if (a instanceof Tensor x) return b instanceof Tensor t ? x.remainder(t) : b instanceof Long l ? x.remainder(l) : x.remainder(dbl(b));
        if (isNumber(a) && isNumber(b)) {
            double x = dbl(a), y = dbl(b);
            if (y == 0) throw new ArithmeticException("float modulo");
            double r = x % y;
            return r != 0 && (r < 0) != (y < 0) ? r + y : r;
        }
        throw unsupported("%", a, b);
    }

    static Object pow(Object a, Object b) {
        a = num(a);
        b = num(b);
        if (a instanceof Long x && b instanceof Long y && y >= 0) {
            long r = 1;
            for (long i = 0; i < y; i++) r = Math.multiplyExact(r, x);
            return r;
        }
        if (a instanceof Tensor x) return b instanceof Tensor t ? x.pow(t) : b instanceof Long l ? x.pow(l) : x.pow(dbl(b));
        if (b instanceof Tensor y && isNumber(a)) return Tensor.pow(dbl(a), y);
        if (isNumber(a) && isNumber(b)) return Math.pow(dbl(a), dbl(b));
        throw unsupported("** or pow()", a, b);
    }

    static Object neg(Object a) {
        a = num(a);
        if (a instanceof Long x) return Math.negateExact(x);
        if (a instanceof Double x) return -x;
        if (a instanceof Tensor x) return x.neg();
        throw new IllegalArgumentException("bad operand type for unary -: '" + ArgType.pyType(a) + "'");
    }

    /**
     * {@code &}, {@code |}, {@code ^} ({@code op} is and, or, xor): bitwise on tensors (a Python number on either side,
     * a bool kept as a bool operand so that masks stay masks), on ints, and logical on two bools, as in Python.
     */
    static Object bitwise(String op, Object a, Object b) {
        if (a instanceof Boolean x && b instanceof Boolean y) return op.equals("and") ? x & y : op.equals("or") ? x | y : x ^ y;
        if (!(a instanceof Tensor) && b instanceof Tensor) return bitwise(op, b, a); // all three are commutative
        if (a instanceof Tensor x) {
            Tensor y = switch (b) {
                case Tensor t -> t;
                case Boolean v -> Tensor.scalar(v ? 1 : 0, DType.BOOL);
                case Long v -> Tensor.scalar(v, DType.INT64);
                default -> throw unsupported(symbol(op), a, b);
            };
            return op.equals("and") ? x.bitwiseAnd(y) : op.equals("or") ? x.bitwiseOr(y) : x.bitwiseXor(y);
        }
        a = num(a);
        b = num(b);
        if (a instanceof Long x && b instanceof Long y) return op.equals("and") ? x & y : op.equals("or") ? x | y : x ^ y;
        throw unsupported(symbol(op), a, b);
    }

    private static String symbol(String op) { return op.equals("and") ? "&" : op.equals("or") ? "|" : "^"; }

    /** {@code ~}: the complement of an int (of a bool as an int, as Python does), bitwise_not of a tensor. */
    static Object invert(Object a) {
        if (a instanceof Tensor x) return x.bitwiseNot();
        if (num(a) instanceof Long x) return ~x;
        throw new IllegalArgumentException("bad operand type for unary ~: '" + ArgType.pyType(a) + "'");
    }

    /** {@code operator.eq/ne/lt/le/gt/ge}: tensors compare elementwise, numbers as Python does. */
    static Object compare(String op, Object a, Object b) {
        a = num(a);
        b = num(b);
        if (a instanceof Tensor x) {
            Tensor y = b instanceof Tensor t ? t : null;
            double s = y == null ? dbl(b) : 0;
            return switch (op) {
                case "eq" -> y != null ? x.eq(y) : x.eq(s);
                case "ne" -> y != null ? x.ne(y) : x.ne(s);
                case "lt" -> y != null ? x.lt(y) : x.lt(s);
                case "le" -> y != null ? x.le(y) : x.le(s);
                case "gt" -> y != null ? x.gt(y) : x.gt(s);
                default -> y != null ? x.ge(y) : x.ge(s);
            };
        }
        if (isNumber(a) && isNumber(b)) {
            int c = a instanceof Long x && b instanceof Long y ? Long.compare(x, y) : Double.compare(dbl(a), dbl(b));
            return switch (op) {
                case "eq" -> c == 0;
                case "ne" -> c != 0;
                case "lt" -> c < 0;
                case "le" -> c <= 0;
                case "gt" -> c > 0;
                default -> c >= 0;
            };
        }
        if (op.equals("eq")) return java.util.Objects.equals(a, b);
        if (op.equals("ne")) return !java.util.Objects.equals(a, b);
        throw unsupported(op, a, b);
    }

    /** {@code seq[i]} and {@code seq[a:b:c]} on tuples (sizes), {@code x[...]} on tensors. */
    static Object getitem(Object container, Object index) {
        if (container instanceof List<?> l) {
            if (index instanceof Long i) {
                long at = i < 0 ? i + l.size() : i;
                if (at < 0 || at >= l.size()) throw new IndexOutOfBoundsException("tuple index out of range");
                return l.get((int) at);
            }
            if (index instanceof PySlice s) return sliceList(l, s);
            throw new IllegalArgumentException("tuple indices must be integers or slices, not " + ArgType.pyType(index));
        }
        if (container instanceof Tensor t) return t.index(tensorIndex(index));
        throw new IllegalArgumentException("'" + ArgType.pyType(container) + "' object is not subscriptable");
    }

    /** A Python index ({@code x[i]}, {@code x[:, 1::2, None, ...]}, {@code x[idx]}, {@code x[mask]}) as {@link Tensor#index} takes it. */
    private static Object[] tensorIndex(Object index) {
        List<?> parts = index instanceof List<?> l ? l : java.util.Collections.singletonList(index);
        Object[] out = new Object[parts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (parts.get(i)) {
                case null -> Idx.none();
                case Long n -> n;
                case Boolean b -> b;
                case Tensor t -> t;
                case PySlice sl -> Idx.slice(bound(sl.start()), bound(sl.stop()), bound(sl.step()));
                case PyConst c when c == PyConst.ELLIPSIS -> Idx.ellipsis();
                case Object p -> throw new IllegalArgumentException("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got "
                        + ArgType.pyType(p) + ")");
            };
        }
        return out;
    }

    /** A slice bound; Python clamps bounds to the sequence, so sys.maxsize-style ints become the int range's ends. */
    private static Integer bound(Object v) {
        if (v == null) return null;
        if (!(v instanceof Long l)) throw new IllegalArgumentException("slice indices must be integers or None or have an __index__ method");
        return (int) Math.clamp(l, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static List<Object> sliceList(List<?> l, PySlice s) {
        long n = l.size();
        long step = s.step() == null ? 1 : (Long) s.step();
        if (step == 0) throw new IllegalArgumentException("slice step cannot be zero");
        long lo = step > 0 ? 0 : -1, hi = step > 0 ? n : n - 1;
        long start = s.start() == null ? (step > 0 ? lo : hi) : clampIndex((Long) s.start(), n, lo, hi);
        long stop = s.stop() == null ? (step > 0 ? hi : lo) : clampIndex((Long) s.stop(), n, lo, hi);
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) out.add(l.get((int) i));
        return out;
    }

    private static long clampIndex(long i, long n, long lo, long hi) {
        if (i < 0) i += n;
        return Math.max(lo, Math.min(hi, i));
    }

    private static List<Object> repeat(List<?> l, long n) {
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < n; i++) out.addAll(l);
        return out;
    }

    private static Tensor tensorScalar(Tensor x, Object b, String op) {
        if (b instanceof Tensor y) {
            return switch (op) {
                case "add" -> x.add(y);
                case "sub" -> x.sub(y);
                case "mul" -> x.mul(y);
                default -> x.div(y);
            };
        }
        if (b instanceof Long l) {
            return switch (op) {
                case "add" -> x.add(l);
                case "sub" -> x.sub(l);
                case "mul" -> x.mul(l);
                default -> x.div((double) l);
            };
        }
        if (b instanceof Double d) {
            return switch (op) {
                case "add" -> x.add(d);
                case "sub" -> x.sub(d);
                case "mul" -> x.mul(d);
                default -> x.div(d);
            };
        }
        throw unsupported(switch (op) {
            case "add" -> "+";
            case "sub" -> "-";
            case "mul" -> "*";
            default -> "/";
        }, x, b);
    }

    private static Tensor scalarTensor(Object n) {
        return n instanceof Long l ? Tensor.scalar(l, DType.INT64) : Tensor.scalar(dbl(n), DType.FLOAT64);
    }

    static double dbl(Object n) {
        if (n instanceof Boolean b) return b ? 1 : 0;
        return ((Number) n).doubleValue();
    }

    private static IllegalArgumentException unsupported(String op, Object a, Object b) {
        return new IllegalArgumentException("unsupported operand type(s) for " + op + ": '" + ArgType.pyType(a) + "' and '" + ArgType.pyType(b) + "'");
    }
}

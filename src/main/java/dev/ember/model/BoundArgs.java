package dev.ember.model;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * One call's arguments bound to a {@link Signature}, read by name with the conversion the parameter's type calls
 * for. A wrong type fails with PyTorch's argument-parser text
 * ({@code max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not str}).
 */
final class BoundArgs {
    private final Signature sig;
    private final Object[] values;

    BoundArgs(Signature sig, Object[] values) {
        this.sig = sig;
        this.values = values;
    }

    String fn() { return sig.fn; }

    /** The raw value (null for None). */
    Object get(String name) { return values[sig.indexOf(name)]; }

    boolean isNone(String name) { return get(name) == null; }

    boolean has(String name) { return sig.has(name); }

    private Object checked(String name) {
        int i = sig.indexOf(name);
        Object v = values[i];
        if (sig.params.get(i).varargs()) v = unpack(v);
        String err = sig.typeError(i, v);
        if (err != null) throw new IllegalArgumentException(err);
        return v;
    }

    private static Object unpack(Object v) {
        return v instanceof List<?> l && l.size() == 1 && l.getFirst() instanceof List<?> inner ? inner : v;
    }

    Tensor tensor(String name) { return (Tensor) checked(name); }

    /** The first parameter as a tensor ({@code input} of torch functions, {@code self} of methods and ATen ops). */
    Tensor self() { return tensor(sig.params.getFirst().name()); }

    @SuppressWarnings("unchecked")
    List<Tensor> tensors(String name) { return (List<Tensor>) checked(name); }

    long longValue(String name) { return (Long) checked(name); }

    int intValue(String name) { return Py.toInt((Long) checked(name), sig.fn, name); }

    Integer optInt(String name) {
        Object v = checked(name);
        return v == null ? null : Py.toInt((Long) v, sig.fn, name);
    }

    /** {@code int[]}, a single int standing for every entry as PyTorch allows for {@code int[2]}; null for None. */
    int[] ints(String name) {
        Object v = checked(name);
        if (v == null) return null;
        if (v instanceof Long l) return new int[] {Py.toInt(l, sig.fn, name)};
        List<?> l = (List<?>) v;
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = Py.toInt((Long) l.get(i), sig.fn, name);
        return out;
    }

    /** {@code int[]} as a list of Longs (for shapes that pass through unchanged). */
    List<Long> longs(String name) {
        Object v = checked(name);
        if (v instanceof Long l) return List.of(l);
        List<Long> out = new ArrayList<>();
        for (Object o : (List<?>) v) out.add((Long) o);
        return out;
    }

    double doubleValue(String name) { return ((Number) checked(name)).doubleValue(); }

    Double optDouble(String name) {
        Object v = checked(name);
        return v == null ? null : ((Number) v).doubleValue();
    }

    boolean bool(String name) { return (Boolean) checked(name); }

    String str(String name) { return (String) checked(name); }

    /** A Python number: Long, Double or Boolean. */
    Object scalar(String name) { return checked(name); }

    DType dtype(String name) { return (DType) checked(name); }

    Device device(String name) {
        Object v = checked(name);
        return v instanceof String s ? Device.parse(s) : (Device) v;
    }

    Object any(String name) { return checked(name); }
}

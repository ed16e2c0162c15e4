package dev.ember.io;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A Python tuple read from or written to a pickle: an immutable {@link List} (nulls allowed, for None), kept
 * distinct from lists so that {@code torch.save} round trips write a tuple where PyTorch wrote one
 * (Adam's {@code betas}, a {@code torch.Size}).
 */
public final class PyTuple extends AbstractList<Object> implements RandomAccess {
    public static final PyTuple EMPTY = new PyTuple(new Object[0]);

    private final Object[] items;

    private PyTuple(Object[] items) {
        this.items = items;
    }

    public static PyTuple of(Object... items) {
        return items.length == 0 ? EMPTY : new PyTuple(items.clone());
    }

    public static PyTuple copyOf(List<?> items) {
        return items.isEmpty() ? EMPTY : new PyTuple(items.toArray());
    }

    /** Takes ownership of the array (the unpickler's own buffers). */
    static PyTuple wrap(Object[] items) {
        return items.length == 0 ? EMPTY : new PyTuple(items);
    }

    @Override
    public Object get(int index) { return items[index]; }

    @Override
    public int size() { return items.length; }

    @Override
    public Object[] toArray() { return items.clone(); }

    @Override
    public String toString() {
        if (items.length == 1) return "(" + items[0] + ",)";
        String s = Arrays.toString(items);
        return "(" + s.substring(1, s.length() - 1) + ")";
    }
}

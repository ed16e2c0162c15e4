package dev.ember.tensor;

/**
 * Python's index objects for {@link Tensor#index} and {@link Tensor#indexPut_}: a slice ({@code start:stop:step}),
 * {@code None} (a new axis of size 1) and {@code ...} (as many {@code :} as needed). Integers are passed as
 * {@code Integer}/{@code Long}, advanced indices as integer or bool tensors, so
 * {@code x[1:, None, ..., idx]} is {@code x.index(Idx.slice(1, null), Idx.none(), Idx.ellipsis(), idx)}.
 *
 * <p>{@link #parse} reads the same thing written in Python syntax; {@link Tensor#index} accepts such strings
 * directly: {@code x.index(":, 1::2, None, ..., -1")}.
 */
public sealed interface Idx permits Idx.Slice, Idx.NewAxis, Idx.Ellipsis {

    /** {@code start:stop:step}; a null bound is omitted, as in Python (step 1, from the start, to the end). */
    record Slice(Integer start, Integer stop, Integer step) implements Idx {
        @Override
        public String toString() {
            String s = (start == null ? "" : start) + ":" + (stop == null ? "" : stop);
            return step == null ? s : s + ":" + step;
        }
    }

    /** {@code None} (numpy's {@code newaxis}). */
    record NewAxis() implements Idx {
        @Override
        public String toString() { return "None"; }
    }

    /** {@code ...}. */
    record Ellipsis() implements Idx {
        @Override
        public String toString() { return "..."; }
    }

    /** {@code start:stop:step}. Any bound may be null; a zero step fails when used, as in Python. */
    static Slice slice(Integer start, Integer stop, Integer step) { return new Slice(start, stop, step); }

    /** {@code start:stop}. */
    static Slice slice(Integer start, Integer stop) { return new Slice(start, stop, null); }

    /** {@code :}, the whole dim. */
    static Slice all() { return new Slice(null, null, null); }

    /** {@code None}: inserts a dim of size 1. */
    static Idx none() { return new NewAxis(); }

    /** {@code ...}. */
    static Idx ellipsis() { return new Ellipsis(); }

    /**
     * Parses Python index syntax into index objects. Grammar (whitespace is free):
     * <pre>
     *   index := [item (',' item)* [',']]
     *   item  := int | slice | 'None' | '...' | 'True' | 'False' | list
     *   slice := [int] ':' [int] [':' [int]]
     *   list  := '[' [int (',' int)* [',']] ']'  |  '[' bool (',' bool)* [','] ']'
     *   int   := ['+' | '-'] digits            bool := 'True' | 'False'
     * </pre>
     * Integers become {@code Long}, a list of ints an int64 tensor (the empty list too), a list of bools a bool
     * mask, {@code True}/{@code False} a {@code Boolean}. Lists are flat: Python's nested-list indexing has
     * legacy tuple semantics that Ember does not copy.
     */
    static Object[] parse(String text) { return IndexSyntax.parse(text); }
}

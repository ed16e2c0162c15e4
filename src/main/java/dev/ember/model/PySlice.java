package dev.ember.model;

/**
 * Python's {@code slice(start, stop, step)}, as in {@code x.size()[1:]} or {@code x[:, 0]}: each bound is null
 * (omitted), a {@code Long}, or, in a spec, a {@link NodeRef} to an int node.
 */
public record PySlice(Object start, Object stop, Object step) {
    @Override
    public String toString() { return (start == null ? "" : start) + ":" + (stop == null ? "" : stop) + (step == null ? "" : ":" + step); }
}

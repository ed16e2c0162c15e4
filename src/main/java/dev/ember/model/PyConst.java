package dev.ember.model;

import java.util.Set;

/**
 * Python constants a graph may mention that have no Java value of their own: {@code Ellipsis} (in indexing) and
 * torch's memory formats and layouts (in {@code clone}, {@code contiguous}, {@code _to_copy} kwargs).
 */
public record PyConst(String name) {
    public static final PyConst ELLIPSIS = new PyConst("Ellipsis");
    public static final PyConst CONTIGUOUS_FORMAT = new PyConst("torch.contiguous_format");
    public static final PyConst PRESERVE_FORMAT = new PyConst("torch.preserve_format");
    public static final PyConst STRIDED = new PyConst("torch.strided");

    static final Set<String> KNOWN = Set.of(ELLIPSIS.name, CONTIGUOUS_FORMAT.name, PRESERVE_FORMAT.name, "torch.channels_last", STRIDED.name);

    @Override
    public String toString() { return name; }
}

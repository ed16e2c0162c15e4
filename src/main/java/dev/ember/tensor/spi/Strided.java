package dev.ember.tensor.spi;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;

/** What a kernel sees of a tensor: its storage and the layout to read it through. */
public record Strided(Storage storage, Layout layout) {
    public DType dtype() { return storage.dtype(); }

    public int[] shape() { return layout.shape(); }

    public int numel() { return layout.numel(); }

    public Strided expand(int[] shape) { return new Strided(storage, layout.expand(shape)); }
}

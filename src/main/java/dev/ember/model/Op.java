package dev.ember.model;

/** A callable a graph node may name: its target ({@code torch.flatten}, {@code aten.addmm.default}, method {@code view}), its signature and its implementation. */
record Op(String target, Signature sig, Impl impl) {
    @FunctionalInterface
    interface Impl {
        Object call(BoundArgs a);
    }
}

package dev.ember.autograd;

/** What {@code Tensor.registerHook} returns: {@code remove()} unregisters the hook (again is harmless). */
public final class RemovableHandle {
    private final Node node;
    private final TensorHook hook;

    RemovableHandle(Node node, TensorHook hook) {
        this.node = node;
        this.hook = hook;
    }

    public void remove() { node.removeHook(hook); }
}

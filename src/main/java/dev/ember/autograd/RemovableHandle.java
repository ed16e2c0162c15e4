package dev.ember.autograd;

/** What {@code Tensor.registerHook} returns: {@code remove()} unregisters the hook (again is harmless). */
public final class RemovableHandle {
    private final Runnable remove;

    RemovableHandle(Runnable remove) { this.remove = remove; }

    public void remove() { remove.run(); }
}

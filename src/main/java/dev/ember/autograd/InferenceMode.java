package dev.ember.autograd;

/**
 * {@code torch.inference_mode()}: no_grad, and every tensor made inside is an inference tensor, which autograd may
 * never see afterwards (it cannot be saved for backward, written in place or made to require grad outside the scope).
 * A view of a normal tensor taken inside stays normal.
 * <pre>{@code
 * try (var g = InferenceMode.enable()) {   // with torch.inference_mode():
 *     y = model.forward(x);
 * }
 * }</pre>
 */
public final class InferenceMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {false});

    static final String NOT_SAVED = "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.";
    static final String NO_INPLACE = "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal tensor "
            + "before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.";

    private InferenceMode() {}

    /**
     * Inference-mode scopes open on any thread: every tensor's constructor asks {@link #isEnabled}, and while none is
     * open (the common case) a volatile read answers without the thread-local lookup.
     */
    private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

    /** {@code torch.is_inference_mode_enabled()}. */
    public static boolean isEnabled() { return OPEN.get() != 0 && ENABLED.get()[0]; }

    public static GradMode.Scope enable() { return set(true); }

    /** {@code torch.inference_mode(mode)}: {@code false} restores grad mode too, as PyTorch's does. */
    public static GradMode.Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        if (enabled) OPEN.incrementAndGet();
        cell[0] = enabled;
        GradMode.Scope grad = GradMode.set(!enabled);
        return () -> {
            grad.close();
            cell[0] = previous;
            if (enabled) OPEN.decrementAndGet();
        };
    }

    /** PyTorch's check before an in-place write. */
    public static void checkInplace(dev.ember.tensor.Tensor t) {
        if (t.isInference() && !isEnabled()) throw new IllegalStateException(NO_INPLACE);
    }
}

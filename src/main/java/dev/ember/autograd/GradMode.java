package dev.ember.autograd;

/**
 * Whether operations record the graph on this thread ({@code torch.is_grad_enabled}).
 * <pre>{@code
 * try (var g = GradMode.noGrad()) {   // torch.no_grad()
 *     y = model.forward(x);
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() { return ENABLED.get()[0]; }

    /** A scope that restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static Scope noGrad() { return set(false); }

    public static Scope enableGrad() { return set(true); }

    public static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return () -> cell[0] = previous;
    }
}

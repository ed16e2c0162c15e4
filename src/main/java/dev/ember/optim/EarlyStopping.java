package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Early stopping as the tutorials write it by hand: keep the best validation metric, count the epochs since it
 * last improved, stop after {@code patience} of them, and keep a copy of the model's state from the best epoch.
 * <pre>{@code
 * var stopper = new EarlyStopping(400, 0.0, "min", model::stateDict);
 * for (int epoch = 0; epoch < nEpochs; epoch++) {
 *     train(...);
 *     double validLoss = validate(...);
 *     if (stopper.step(validLoss)) break;           // "Model is not improving, so we halt the training session."
 *     if (stopper.improved()) save(model.stateDict());  // or save stopper.bestState() at the end
 * }
 * model.loadStateDict(stopper.bestState());
 * }</pre>
 * An epoch improves when its metric beats the best by more than {@code minDelta} ({@code metric < best − minDelta}
 * in {@code "min"} mode, {@code metric > best + minDelta} in {@code "max"}); a NaN metric never improves.
 * Not a PyTorch class: PyTorch users write this loop themselves (tutorial 001's {@code early_stop_count}).
 */
public final class EarlyStopping {
    private final int patience;
    private final double minDelta;
    private final boolean minimize;
    private final Supplier<? extends Map<String, Tensor>> snapshot;

    private double best;
    private int counter;
    private int epoch = -1, bestEpoch = -1;
    private boolean improved;
    private Map<String, Tensor> bestState;

    /** Stops after {@code patience} epochs without a lower metric; keeps no state. */
    public EarlyStopping(int patience) { this(patience, 0.0, "min", null); }

    /**
     * @param patience epochs without improvement before stopping (the tutorials' {@code early_stop})
     * @param minDelta the smallest change that counts as an improvement (non-negative)
     * @param mode     {@code "min"} for losses, {@code "max"} for accuracies
     * @param snapshot called on each improvement (e.g. {@code model::stateDict}); its tensors are copied, or null
     */
    public EarlyStopping(int patience, double minDelta, String mode, Supplier<? extends Map<String, Tensor>> snapshot) {
        if (patience < 0) throw new IllegalArgumentException("patience must be non-negative, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("min_delta must be non-negative, got " + PyValues.repr(minDelta));
        if (!mode.equals("min") && !mode.equals("max")) throw new IllegalArgumentException("mode " + mode + " is unknown!");
        this.patience = patience;
        this.minDelta = minDelta;
        this.minimize = mode.equals("min");
        this.snapshot = snapshot;
        this.best = minimize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Records one epoch's metric; returns true when training should stop. */
    public boolean step(double metric) {
        epoch++;
        improved = minimize ? metric < best - minDelta : metric > best + minDelta;
        if (improved) {
            best = metric;
            bestEpoch = epoch;
            counter = 0;
            if (snapshot != null) bestState = copy(snapshot.get());
        } else {
            counter++;
        }
        return shouldStop();
    }

    /** {@link #step(double)} with a 0-dim (or one-element) tensor, such as a loss. */
    public boolean step(Tensor metric) { return step(metric.item()); }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : state.entrySet()) out.put(e.getKey(), e.getValue().detach().clone());
        return Collections.unmodifiableMap(out);
    }

    /** Whether {@code patience} epochs have passed since the last improvement. */
    public boolean shouldStop() { return counter >= patience && epoch >= 0; }

    /** Whether the last step improved on the best metric. */
    public boolean improved() { return improved; }

    /** The best metric so far (infinite before the first step). */
    public double best() { return best; }

    /** The 0-based epoch of the best metric, -1 before any. */
    public int bestEpoch() { return bestEpoch; }

    /** Epochs since the last improvement. */
    public int counter() { return counter; }

    /** The snapshot taken at the best epoch (copied tensors), or null without a snapshot supplier or improvement. */
    public Map<String, Tensor> bestState() { return bestState; }
}

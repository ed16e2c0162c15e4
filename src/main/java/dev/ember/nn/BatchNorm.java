package dev.ember.nn;

import dev.ember.autograd.GradMode;
import dev.ember.nn.functional.F;
import dev.ember.nn.init.Init;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * PyTorch's {@code _BatchNorm}: batch statistics in training (updating running_mean and the unbiased
 * running_var with {@code momentum}, or a cumulative average when momentum is null), running statistics in
 * eval. Version 2: a state_dict without version 2 metadata that lacks {@code num_batches_tracked} loads
 * with it set to 0, as in PyTorch.
 */
public abstract class BatchNorm extends Module {
    public final int numFeatures;
    public final double eps;
    /** Null: cumulative moving average ({@code momentum=None}). */
    public final Double momentum;
    public final boolean affine, trackRunningStats;

    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", affine ? Tensor.empty(numFeatures) : (Tensor) null);
        registerParameter("bias", affine ? Tensor.empty(numFeatures) : (Tensor) null);
        if (trackRunningStats) {
            registerBuffer("running_mean", Tensor.zeros(numFeatures));
            registerBuffer("running_var", Tensor.ones(numFeatures));
            registerBuffer("num_batches_tracked", Tensor.scalar(0, DType.INT64));
        } else {
            registerBuffer("running_mean", null);
            registerBuffer("running_var", null);
            registerBuffer("num_batches_tracked", null);
        }
        resetParameters();
    }

    @Override
    public int version() { return 2; }

    public Parameter weight() { return param("weight"); }

    public Parameter bias() { return param("bias"); }

    public Tensor runningMean() { return buffer("running_mean"); }

    public Tensor runningVar() { return buffer("running_var"); }

    public Tensor numBatchesTracked() { return buffer("num_batches_tracked"); }

    public void resetRunningStats() {
        if (!trackRunningStats) return;
        try (var g = GradMode.noGrad()) {
            runningMean().zero_();
            runningVar().fill_(1);
            numBatchesTracked().zero_();
        }
    }

    public void resetParameters() {
        resetRunningStats();
        if (affine) {
            Init.ones_(weight());
            Init.zeros_(bias());
        }
    }

    protected abstract void checkInputDim(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInputDim(input);
        double factor = momentum == null ? 0.0 : momentum;
        if (isTraining() && trackRunningStats && numBatchesTracked() != null) {
            try (var g = GradMode.noGrad()) {
                numBatchesTracked().add_(Tensor.scalar(1, DType.INT64));
            }
            factor = momentum == null ? 1.0 / numBatchesTracked().itemLong() : momentum;
        }
        boolean bnTraining = isTraining() || (runningMean() == null && runningVar() == null);
        boolean useBuffers = !isTraining() || trackRunningStats;
        return F.batchNorm(input, useBuffers ? runningMean() : null, useBuffers ? runningVar() : null, weight(), bias(), bnTraining, factor, eps);
    }

    @Override
    protected void loadFromStateDict(Map<String, Tensor> local, String prefix, Integer version, List<String> missing, List<String> unexpected,
                                     List<String> errors) {
        if ((version == null || version < 2) && trackRunningStats) local.putIfAbsent(prefix + "num_batches_tracked", Tensor.scalar(0, DType.INT64));
        super.loadFromStateDict(local, prefix, version, missing, unexpected, errors);
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + Repr.pyFloat(eps) + ", momentum=" + (momentum == null ? "None" : Repr.pyFloat(momentum)) + ", affine=" + Repr.bool(affine)
                + ", track_running_stats=" + Repr.bool(trackRunningStats);
    }
}

package dev.ember.nn.functional;

import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * {@code torch.nn.functional} with PyTorch's names in camelCase ({@code F.maxPool2d}, {@code F.crossEntropy})
 * and its defaults; optional arguments are nullable or have shorter overloads. Reductions are PyTorch's
 * strings ({@code "mean"}, {@code "sum"}, {@code "none"}).
 */
public final class F {
    private F() {}

    // ------------------------------------------------------------ activations

    public static Tensor relu(Tensor x) { return x.relu(); }

    public static Tensor relu(Tensor x, boolean inplace) { return inplace ? x.relu_() : x.relu(); }

    public static Tensor relu6(Tensor x) { return hardtanh(x, 0, 6); }

    public static Tensor leakyRelu(Tensor x) { return leakyRelu(x, 0.01); }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) { return Activations.leakyRelu(x, negativeSlope); }

    public static Tensor elu(Tensor x) { return elu(x, 1.0); }

    public static Tensor elu(Tensor x, double alpha) { return Activations.elu(x, alpha, 1, 1, "EluBackward0"); }

    public static Tensor selu(Tensor x) {
        return Activations.elu(x, 1.6732632423543772848170429916717, 1.0507009873554804934193349852946, 1, "EluBackward0");
    }

    public static Tensor celu(Tensor x, double alpha) {
        if (alpha == 0) throw new IllegalArgumentException("ZeroDivisionError");
        return Activations.elu(x, alpha, 1, 1 / alpha, "CeluBackward0");
    }

    /** {@code gelu(x, approximate='none')}. */
    public static Tensor gelu(Tensor x) { return gelu(x, "none"); }

    /** {@code approximate}: {@code "none"} (erf) or {@code "tanh"}. */
    public static Tensor gelu(Tensor x, String approximate) { return Activations.gelu(x, approximate); }

    public static Tensor silu(Tensor x) { return Activations.silu(x); }

    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    public static Tensor tanh(Tensor x) { return x.tanh(); }

    public static Tensor softplus(Tensor x) { return softplus(x, 1, 20); }

    public static Tensor softplus(Tensor x, double beta, double threshold) { return Activations.softplus(x, beta, threshold); }

    public static Tensor hardtanh(Tensor x) { return hardtanh(x, -1, 1); }

    public static Tensor hardtanh(Tensor x, double minVal, double maxVal) { return Activations.hardtanh(x, minVal, maxVal); }

    public static Tensor logsigmoid(Tensor x) { return Activations.logsigmoid(x); }

    public static Tensor hardswish(Tensor x) { return Activations.hardswish(x); }

    public static Tensor hardsigmoid(Tensor x) { return Activations.hardsigmoid(x); }

    public static Tensor mish(Tensor x) { return Activations.mish(x); }

    public static Tensor softsign(Tensor x) { return ComposedActivations.softsign(x); }

    public static Tensor tanhshrink(Tensor x) { return ComposedActivations.tanhshrink(x); }

    public static Tensor softmin(Tensor x, int dim) { return ComposedActivations.softmin(x, dim); }

    /** {@code glu(x, dim=-1)}: the first half of {@code dim} gated by the sigmoid of the second. */
    public static Tensor glu(Tensor x, int dim) { return ComposedActivations.glu(x, dim); }

    /** {@code prelu(x, weight)}: one learned negative slope per channel (dim 1), or one for all. */
    public static Tensor prelu(Tensor x, Tensor weight) { return Activations.prelu(x, weight); }

    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }

    /** {@code softmax(x, dim, dtype)}: casts first, as PyTorch does. */
    public static Tensor softmax(Tensor x, int dim, dev.ember.tensor.DType dtype) { return x.to(dtype).softmax(dim); }

    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    public static Tensor logSoftmax(Tensor x, int dim, dev.ember.tensor.DType dtype) { return x.to(dtype).logSoftmax(dim); }

    // ------------------------------------------------------------ linear and convolution

    public static Tensor linear(Tensor x, Tensor weight) { return LinearOps.linear(x, weight, null); }

    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return LinearOps.linear(x, weight, bias); }

    public static Tensor bilinear(Tensor x1, Tensor x2, Tensor weight, Tensor bias) { return LinearOps.bilinear(x1, x2, weight, bias); }

    public static Tensor conv2d(Tensor x, Tensor weight) { return conv2d(x, weight, null, new int[] {1}, new int[] {0}, new int[] {1}, 1); }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) { return conv2d(x, weight, bias, new int[] {1}, new int[] {0}, new int[] {1}, 1); }

    /** {@code conv2d(input, weight, bias, stride, padding, dilation, groups)}; int[] of length 1 or 2. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return ConvFunctions.conv(x, weight, bias, stride, padding, null, dilation, groups, 2);
    }

    /** {@code conv2d(..., padding='same' | 'valid', ...)}. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return ConvFunctions.conv(x, weight, bias, stride, null, padding, dilation, groups, 2);
    }

    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias) { return conv1d(x, weight, bias, new int[] {1}, new int[] {0}, new int[] {1}, 1); }

    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return ConvFunctions.conv(x, weight, bias, stride, padding, null, dilation, groups, 1);
    }

    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return ConvFunctions.conv(x, weight, bias, stride, null, padding, dilation, groups, 1);
    }

    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias) {
        return convTranspose2d(x, weight, bias, new int[] {1}, new int[] {0}, new int[] {0}, 1, new int[] {1});
    }

    /** {@code conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)} (PyTorch's order). */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding, int groups, int[] dilation) {
        return ConvFunctions.convTranspose(x, weight, bias, stride, padding, outputPadding, groups, dilation, 2);
    }

    public static Tensor convTranspose1d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding, int groups, int[] dilation) {
        return ConvFunctions.convTranspose(x, weight, bias, stride, padding, outputPadding, groups, dilation, 1);
    }

    /** {@code unfold(input, kernel_size, dilation, padding, stride)}: [N, C*kh*kw, L] sliding blocks. */
    public static Tensor unfold(Tensor x, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return ConvFunctions.unfold(x, kernelSize, dilation, padding, stride);
    }

    /** {@code fold(input, output_size, kernel_size, dilation, padding, stride)}: sums blocks back into [N, C, H, W]. */
    public static Tensor fold(Tensor x, int[] outputSize, int[] kernelSize, int[] dilation, int[] padding, int[] stride) {
        return ConvFunctions.fold(x, outputSize, kernelSize, dilation, padding, stride);
    }

    // ------------------------------------------------------------ pooling

    /** {@code max_pool2d(x, kernel_size)}: stride defaults to the kernel size. */
    public static Tensor maxPool2d(Tensor x, int kernelSize) { return maxPool2d(x, new int[] {kernelSize}); }

    /** {@code max_pool2d(x, kernel_size, stride)}, in Python's positional order. */
    public static Tensor maxPool2d(Tensor x, int kernelSize, int stride) {
        return maxPool2d(x, new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false);
    }

    /** {@code max_pool2d(x, (kh, kw))}. */
    public static Tensor maxPool2d(Tensor x, int[] kernelSize) { return maxPool2d(x, kernelSize, null, new int[] {0}, new int[] {1}, false); }

    /** {@code max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode)}; a null stride means the kernel size. */
    public static Tensor maxPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool2dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode).get(0);
    }

    /** {@code max_pool2d(..., return_indices=True)}: [values, indices]. */
    public static List<Tensor> maxPool2dWithIndices(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        int[] k = PoolArgs.pair(kernelSize, "max_pool2d", "kernel_size");
        int[] s = stride == null || stride.length == 0 ? k : PoolArgs.pair(stride, "max_pool2d", "stride");
        return List.of(Pooling.maxPool(x, k, s, PoolArgs.pair(padding, "max_pool2d", "padding"), PoolArgs.pair(dilation, "max_pool2d", "dilation"), ceilMode, 2));
    }

    public static Tensor maxPool1d(Tensor x, int kernelSize) { return maxPool1d(x, kernelSize, null, 0, 1, false); }

    public static Tensor maxPool1d(Tensor x, int kernelSize, Integer stride, int padding, int dilation, boolean ceilMode) {
        return maxPool1dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode).get(0);
    }

    public static List<Tensor> maxPool1dWithIndices(Tensor x, int kernelSize, Integer stride, int padding, int dilation, boolean ceilMode) {
        int s = stride == null ? kernelSize : stride;
        return List.of(Pooling.maxPool(x, new int[] {kernelSize}, new int[] {s}, new int[] {padding}, new int[] {dilation}, ceilMode, 1));
    }

    public static Tensor avgPool2d(Tensor x, int kernelSize) { return avgPool2d(x, new int[] {kernelSize}, null, new int[] {0}, false, true, null); }

    /** {@code avg_pool2d(x, kernel_size, stride)}, in Python's positional order. */
    public static Tensor avgPool2d(Tensor x, int kernelSize, int stride) {
        return avgPool2d(x, new int[] {kernelSize}, new int[] {stride}, new int[] {0}, false, true, null);
    }

    /** {@code avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)}. */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, Integer divisorOverride) {
        int[] k = PoolArgs.pair(kernelSize, "avg_pool2d", "kernel_size");
        int[] s = stride == null || stride.length == 0 ? k : PoolArgs.pair(stride, "avg_pool2d", "stride");
        return Pooling.avgPool(x, k, s, PoolArgs.pair(padding, "avg_pool2d", "padding"), ceilMode, countIncludePad, divisorOverride, 2);
    }

    public static Tensor avgPool1d(Tensor x, int kernelSize, Integer stride, int padding, boolean ceilMode, boolean countIncludePad) {
        int s = stride == null ? kernelSize : stride;
        return Pooling.avgPool(x, new int[] {kernelSize}, new int[] {s}, new int[] {padding}, ceilMode, countIncludePad, null, 1);
    }

    /** {@code adaptive_avg_pool2d(x, output_size)}; -1 stands for None (keep that input size). */
    public static Tensor adaptiveAvgPool2d(Tensor x, int... outputSize) { return Pooling.adaptiveAvgPool(x, PoolArgs.pair(outputSize, "adaptive_avg_pool2d", "output_size"), 2); }

    public static Tensor adaptiveAvgPool1d(Tensor x, int outputSize) { return Pooling.adaptiveAvgPool(x, new int[] {outputSize}, 1); }

    public static Tensor adaptiveMaxPool2d(Tensor x, int... outputSize) { return adaptiveMaxPool2dWithIndices(x, outputSize).get(0); }

    public static List<Tensor> adaptiveMaxPool2dWithIndices(Tensor x, int... outputSize) {
        return List.of(Pooling.adaptiveMaxPool(x, PoolArgs.pair(outputSize, "adaptive_max_pool2d", "output_size"), 2));
    }

    public static Tensor adaptiveMaxPool1d(Tensor x, int outputSize) { return Pooling.adaptiveMaxPool(x, new int[] {outputSize}, 1)[0]; }

    // ------------------------------------------------------------ normalisation, dropout, embedding, padding

    /** {@code batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)}. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training, double momentum, double eps) {
        return Normalization.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    public static Tensor layerNorm(Tensor x, int... normalizedShape) { return Normalization.layerNorm(x, normalizedShape, null, null, 1e-5); }

    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        return Normalization.groupNorm(x, numGroups, weight, bias, eps);
    }

    /** {@code dropout(x, p=0.5, training=True)}. */
    public static Tensor dropout(Tensor x) { return dropout(x, 0.5, true, false); }

    public static Tensor dropout(Tensor x, double p, boolean training) { return dropout(x, p, training, false); }

    public static Tensor dropout(Tensor x, double p, boolean training, boolean inplace) {
        return Dropouts.dropout(x, p, training, inplace, Generator.defaultGenerator());
    }

    public static Tensor dropout(Tensor x, double p, boolean training, boolean inplace, Generator generator) {
        return Dropouts.dropout(x, p, training, inplace, generator);
    }

    public static Tensor dropout2d(Tensor x, double p, boolean training, boolean inplace) {
        return Dropouts.featureDropout(x, p, training, inplace, Generator.defaultGenerator(), 2, "dropout2d");
    }

    public static Tensor embedding(Tensor indices, Tensor weight) { return Embeddings.embedding(indices, weight, null); }

    /** {@code embedding(input, weight, padding_idx)}; the padding row receives no gradient. */
    public static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx) { return Embeddings.embedding(indices, weight, paddingIdx); }

    public static Tensor oneHot(Tensor indices, int numClasses) { return Embeddings.oneHot(indices, numClasses); }

    /** {@code pad(input, pad, mode='constant', value=0)}; pad lists (before, after) from the last dim backwards. */
    /**
     * {@code instance_norm}: each (sample, channel) normalised over its spatial dims with its own statistics
     * (biased variance), or with the running statistics when {@code useInputStats} is false; running statistics
     * given with input stats are updated with the batch mean of the per-instance statistics, as PyTorch does.
     */
    public static Tensor instanceNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean useInputStats, double momentum,
                                      double eps) {
        return Attention.instanceNorm(x, runningMean, runningVar, weight, bias, useInputStats, momentum, eps);
    }

    /**
     * {@code scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal, scale)}: softmax(q kᵀ · scale
     * + mask) v, scale 1/√E by default; a bool mask keeps the True positions, a float mask is added.
     */
    public static Tensor scaledDotProductAttention(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP, boolean isCausal, Double scale) {
        return Attention.scaledDotProduct(q, k, v, attnMask, dropoutP, isCausal, scale);
    }

    /**
     * {@code interpolate(x, size, scale_factor, mode, align_corners, recompute_scale_factor)} for 3-D and 4-D input:
     * modes nearest, nearest-exact, linear, bilinear, area; give {@code size} or {@code scaleFactor} (one value or one per
     * spatial dim), the other null.
     */
    public static Tensor interpolate(Tensor x, int[] size, double[] scaleFactor, String mode, Boolean alignCorners, Boolean recomputeScaleFactor) {
        return Resampling.interpolate(x, size, scaleFactor, mode, alignCorners, recomputeScaleFactor);
    }

    /** {@code pixel_shuffle(x, upscale_factor)}: (*, C*r*r, H, W) to (*, C, H*r, W*r). */
    public static Tensor pixelShuffle(Tensor x, int upscaleFactor) { return Resampling.pixelShuffle(x, upscaleFactor); }

    public static Tensor pad(Tensor x, int... pad) { return Padding.pad(x, pad, "constant", 0); }

    public static Tensor pad(Tensor x, int[] pad, String mode, double value) { return Padding.pad(x, pad, mode, value); }

    // ------------------------------------------------------------ distances

    public static Tensor cosineSimilarity(Tensor x1, Tensor x2, int dim, double eps) { return MarginLosses.cosineSimilarity(x1, x2, dim, eps); }

    public static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps, boolean keepdim) {
        return MarginLosses.pairwiseDistance(x1, x2, p, eps, keepdim);
    }

    // ------------------------------------------------------------ losses

    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, "mean"); }

    public static Tensor mseLoss(Tensor input, Tensor target, String reduction) { return RegressionLosses.mse(input, target, reduction); }

    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, "mean"); }

    public static Tensor l1Loss(Tensor input, Tensor target, String reduction) { return RegressionLosses.l1(input, target, reduction); }

    public static Tensor smoothL1Loss(Tensor input, Tensor target) { return smoothL1Loss(input, target, "mean", 1.0); }

    public static Tensor smoothL1Loss(Tensor input, Tensor target, String reduction, double beta) { return RegressionLosses.smoothL1(input, target, reduction, beta); }

    public static Tensor huberLoss(Tensor input, Tensor target) { return huberLoss(input, target, "mean", 1.0); }

    public static Tensor huberLoss(Tensor input, Tensor target, String reduction, double delta) { return RegressionLosses.huber(input, target, reduction, delta); }

    /** {@code cross_entropy(input, target)}: class indices (int64) or class probabilities (floating). */
    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, null, -100, "mean", 0.0); }

    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction, double labelSmoothing) {
        return ClassificationLosses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    public static Tensor nllLoss(Tensor input, Tensor target) { return nllLoss(input, target, null, -100, "mean"); }

    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction) {
        return ClassificationLosses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) { return binaryCrossEntropy(input, target, null, "mean"); }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, String reduction) {
        return ClassificationLosses.binaryCrossEntropy(input, target, weight, reduction);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) { return binaryCrossEntropyWithLogits(input, target, null, null, "mean"); }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, String reduction) {
        return ClassificationLosses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }

    /** {@code kl_div(input, target, reduction='mean', log_target=False)}; reduction may be "batchmean". */
    public static Tensor klDiv(Tensor input, Tensor target, String reduction, boolean logTarget) { return RegressionLosses.klDiv(input, target, reduction, logTarget); }

    public static Tensor poissonNllLoss(Tensor input, Tensor target, boolean logInput, boolean full, double eps, String reduction) {
        return RegressionLosses.poissonNll(input, target, logInput, full, eps, reduction);
    }

    public static Tensor marginRankingLoss(Tensor x1, Tensor x2, Tensor target, double margin, String reduction) {
        return RegressionLosses.marginRanking(x1, x2, target, margin, reduction);
    }

    public static Tensor hingeEmbeddingLoss(Tensor input, Tensor target, double margin, String reduction) {
        return RegressionLosses.hingeEmbedding(input, target, margin, reduction);
    }

    public static Tensor softMarginLoss(Tensor input, Tensor target, String reduction) { return RegressionLosses.softMargin(input, target, reduction); }

    public static Tensor multilabelMarginLoss(Tensor input, Tensor target, String reduction) { return MarginLosses.multilabelMargin(input, target, reduction); }

    public static Tensor multiMarginLoss(Tensor input, Tensor target, int p, double margin, Tensor weight, String reduction) {
        return MarginLosses.multiMargin(input, target, p, margin, weight, reduction);
    }

    public static Tensor multilabelSoftMarginLoss(Tensor input, Tensor target, Tensor weight, String reduction) {
        return ClassificationLosses.multilabelSoftMargin(input, target, weight, reduction);
    }

    public static Tensor cosineEmbeddingLoss(Tensor x1, Tensor x2, Tensor target, double margin, String reduction) {
        return MarginLosses.cosineEmbedding(x1, x2, target, margin, reduction);
    }

    public static Tensor tripletMarginLoss(Tensor anchor, Tensor positive, Tensor negative, double margin, double p, double eps, boolean swap, String reduction) {
        return MarginLosses.tripletMargin(anchor, positive, negative, margin, p, eps, swap, reduction);
    }

    /** {@code ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity)}. */
    public static Tensor ctcLoss(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths, int blank, String reduction, boolean zeroInfinity) {
        return CtcLoss.ctcLoss(logProbs, targets, inputLengths.reshape(-1).toLongArray(), targetLengths.reshape(-1).toLongArray(), blank, reduction, zeroInfinity);
    }

    public static Tensor ctcLoss(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths, int blank, String reduction, boolean zeroInfinity) {
        return CtcLoss.ctcLoss(logProbs, targets, inputLengths, targetLengths, blank, reduction, zeroInfinity);
    }
}

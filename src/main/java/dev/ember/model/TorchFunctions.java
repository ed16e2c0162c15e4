package dev.ember.model;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

import java.util.List;

import static dev.ember.model.OpTable.alias;
import static dev.ember.model.OpTable.function;

/**
 * {@code torch.*} and {@code torch.nn.functional.*} as torch.fx.symbolic_trace records them, with their Python
 * signatures (names and defaults as in PyTorch 1.13 and 2.x).
 */
final class TorchFunctions {
    private TorchFunctions() {}

    private static final String NN = "torch.nn.functional.";

    static void register() {
        // activations
        function(NN + "relu", "Tensor input, bool inplace=False", a -> a.bool("inplace") ? a.self().relu_() : a.self().relu());
        function(NN + "relu6", "Tensor input, bool inplace=False", a -> F.relu6(a.self()));
        function(NN + "leaky_relu", "Tensor input, float negative_slope=0.01, bool inplace=False", a -> F.leakyRelu(a.self(), a.doubleValue("negative_slope")));
        function(NN + "elu", "Tensor input, float alpha=1.0, bool inplace=False", a -> F.elu(a.self(), a.doubleValue("alpha")));
        function(NN + "gelu", "Tensor input, str approximate='none'", a -> F.gelu(a.self(), a.str("approximate")));
        alias("torch._C._nn.gelu", NN + "gelu");
        function(NN + "silu", "Tensor input, bool inplace=False", a -> F.silu(a.self()));
        function(NN + "sigmoid", "Tensor input", a -> a.self().sigmoid());
        function(NN + "tanh", "Tensor input", a -> a.self().tanh());
        function(NN + "softplus", "Tensor input, float beta=1, float threshold=20", a -> F.softplus(a.self(), a.doubleValue("beta"), a.doubleValue("threshold")));
        function(NN + "hardtanh", "Tensor input, float min_val=-1.0, float max_val=1.0, bool inplace=False",
                a -> F.hardtanh(a.self(), a.doubleValue("min_val"), a.doubleValue("max_val")));
        function(NN + "selu", "Tensor input, bool inplace=False", a -> F.selu(a.self()));
        function(NN + "celu", "Tensor input, float alpha=1.0, bool inplace=False", a -> F.celu(a.self(), a.doubleValue("alpha")));
        function(NN + "logsigmoid", "Tensor input", a -> F.logsigmoid(a.self()));
        function(NN + "hardswish", "Tensor input, bool inplace=False", a -> F.hardswish(a.self()));
        function(NN + "hardsigmoid", "Tensor input, bool inplace=False", a -> F.hardsigmoid(a.self()));
        function(NN + "mish", "Tensor input, bool inplace=False", a -> F.mish(a.self()));
        function(NN + "softsign", "Tensor input", a -> F.softsign(a.self()));
        function(NN + "tanhshrink", "Tensor input", a -> F.tanhshrink(a.self()));
        function(NN + "softmin", "Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None", a -> {
            Tensor x = OpSupport.withDtype(a);
            return F.softmin(x, a.get("dim") == null ? legacySoftmaxDim(x.dim()) : a.intValue("dim"));
        });
        function(NN + "glu", "Tensor input, int dim=-1", a -> F.glu(a.self(), a.intValue("dim")));
        function(NN + "prelu", "Tensor input, Tensor weight", a -> F.prelu(a.self(), a.tensor("weight")));
        alias("torch.prelu", NN + "prelu");
        // builtins that torch.nn.functional re-exports: fx records them under their C names
        alias("torch._C._nn.log_sigmoid", NN + "logsigmoid");
        alias("torch._C._nn.softplus", NN + "softplus");
        function(NN + "softmax", "Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None", a -> softmax(a, false));
        function(NN + "log_softmax", "Tensor input, int? dim=None, int _stacklevel=3, ScalarType? dtype=None", a -> softmax(a, true));
        function("torch.softmax", "Tensor input, int dim, ScalarType? dtype=None", a -> softmax(a, false));
        function("torch.log_softmax", "Tensor input, int dim, ScalarType? dtype=None", a -> softmax(a, true));

        // linear, convolution, pooling
        function(NN + "linear", "Tensor input, Tensor weight, Tensor? bias=None", a -> F.linear(a.self(), a.tensor("weight"), (Tensor) a.get("bias")));
        alias("torch._C._nn.linear", NN + "linear");
        function(NN + "bilinear", "Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None",
                a -> F.bilinear(a.self(), a.tensor("input2"), a.tensor("weight"), (Tensor) a.get("bias")));
        function(NN + "conv2d", "Tensor input, Tensor weight, Tensor? bias=None, int[] stride=1, Any padding=0, int[] dilation=1, int groups=1", a -> conv(a, 2));
        alias("torch.conv2d", NN + "conv2d");
        function(NN + "conv1d", "Tensor input, Tensor weight, Tensor? bias=None, int[] stride=1, Any padding=0, int[] dilation=1, int groups=1", a -> conv(a, 1));
        alias("torch.conv1d", NN + "conv1d");
        function(NN + "conv_transpose2d", "Tensor input, Tensor weight, Tensor? bias=None, int[] stride=1, int[] padding=0, int[] output_padding=0, int groups=1, "
                + "int[] dilation=1", a -> F.convTranspose2d(a.self(), a.tensor("weight"), (Tensor) a.get("bias"), a.ints("stride"), a.ints("padding"),
                a.ints("output_padding"), a.intValue("groups"), a.ints("dilation")));
        alias("torch.conv_transpose2d", NN + "conv_transpose2d");
        function(NN + "conv_transpose1d", "Tensor input, Tensor weight, Tensor? bias=None, int[] stride=1, int[] padding=0, int[] output_padding=0, int groups=1, "
                + "int[] dilation=1", a -> F.convTranspose1d(a.self(), a.tensor("weight"), (Tensor) a.get("bias"), a.ints("stride"), a.ints("padding"),
                a.ints("output_padding"), a.intValue("groups"), a.ints("dilation")));
        alias("torch.conv_transpose1d", NN + "conv_transpose1d");
        function(NN + "interpolate", "Tensor input, Any size=None, Any scale_factor=None, str mode='nearest', bool? align_corners=None, "
                + "bool? recompute_scale_factor=None, bool antialias=False", a -> {
            if (a.bool("antialias")) throw new UnsupportedOperationException("Ember: interpolate with antialias=True is not implemented yet");
            return F.interpolate(a.self(), OpSupport.dims(a.get("size"), "interpolate"), floats(a.get("scale_factor")), a.str("mode"),
                    (Boolean) a.get("align_corners"), (Boolean) a.get("recompute_scale_factor"));
        });
        alias(NN + "upsample", NN + "interpolate");
        function(NN + "pixel_shuffle", "Tensor input, int upscale_factor", a -> F.pixelShuffle(a.self(), a.intValue("upscale_factor")));
        alias("torch.pixel_shuffle", NN + "pixel_shuffle");
        String maxPool = "Tensor input, int[] kernel_size, int[]? stride=None, int[] padding=0, int[] dilation=1, bool ceil_mode=False, bool return_indices=False";
        function(NN + "max_pool2d", maxPool, a -> {
            List<Tensor> r = F.maxPool2dWithIndices(a.self(), a.ints("kernel_size"), a.ints("stride"), a.ints("padding"), a.ints("dilation"), a.bool("ceil_mode"));
            return a.bool("return_indices") ? OpSupport.list(r) : r.get(0);
        });
        alias(NN + "max_pool2d_with_indices", NN + "max_pool2d");
        function(NN + "max_pool1d", maxPool, a -> {
            int[] s = a.ints("stride");
            List<Tensor> r = F.maxPool1dWithIndices(a.self(), OpSupport.one(a, "kernel_size"), s == null || s.length == 0 ? null : OpSupport.one(a, "stride"), OpSupport.one(a, "padding"),
                    OpSupport.one(a, "dilation"), a.bool("ceil_mode"));
            return a.bool("return_indices") ? OpSupport.list(r) : r.get(0);
        });
        function(NN + "avg_pool2d", "Tensor input, int[] kernel_size, int[]? stride=None, int[] padding=0, bool ceil_mode=False, bool count_include_pad=True, "
                + "int? divisor_override=None", a -> F.avgPool2d(a.self(), a.ints("kernel_size"), a.ints("stride"), a.ints("padding"), a.bool("ceil_mode"),
                a.bool("count_include_pad"), a.optInt("divisor_override")));
        alias("torch._C._nn.avg_pool2d", NN + "avg_pool2d");
        function(NN + "avg_pool1d", "Tensor input, int[] kernel_size, int[]? stride=None, int[] padding=0, bool ceil_mode=False, bool count_include_pad=True",
                a -> {
                    int[] s = a.ints("stride");
                    return F.avgPool1d(a.self(), OpSupport.one(a, "kernel_size"), s == null || s.length == 0 ? null : OpSupport.one(a, "stride"), OpSupport.one(a, "padding"),
                            a.bool("ceil_mode"), a.bool("count_include_pad"));
                });
        alias("torch.avg_pool1d", NN + "avg_pool1d");
        function(NN + "adaptive_avg_pool2d", "Tensor input, Any output_size", a -> F.adaptiveAvgPool2d(a.self(), OpSupport.outputSize(a)));
        function(NN + "adaptive_avg_pool1d", "Tensor input, int[] output_size", a -> F.adaptiveAvgPool1d(a.self(), OpSupport.one(a, "output_size")));
        function(NN + "adaptive_max_pool2d", "Tensor input, Any output_size, bool return_indices=False", a -> {
            List<Tensor> r = F.adaptiveMaxPool2dWithIndices(a.self(), OpSupport.outputSize(a));
            return a.bool("return_indices") ? OpSupport.list(r) : r.get(0);
        });
        alias(NN + "adaptive_max_pool2d_with_indices", NN + "adaptive_max_pool2d");

        // normalisation, dropout, embedding, padding
        function(NN + "batch_norm", "Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight=None, Tensor? bias=None, bool training=False, "
                + "float momentum=0.1, float eps=1e-05", a -> F.batchNorm(a.self(), (Tensor) a.get("running_mean"), (Tensor) a.get("running_var"),
                (Tensor) a.get("weight"), (Tensor) a.get("bias"), a.bool("training"), a.doubleValue("momentum"), a.doubleValue("eps")));
        function(NN + "layer_norm", "Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05",
                a -> F.layerNorm(a.self(), a.ints("normalized_shape"), (Tensor) a.get("weight"), (Tensor) a.get("bias"), a.doubleValue("eps")));
        function(NN + "group_norm", "Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05",
                a -> F.groupNorm(a.self(), a.intValue("num_groups"), (Tensor) a.get("weight"), (Tensor) a.get("bias"), a.doubleValue("eps")));
        function(NN + "dropout", "Tensor input, float p=0.5, bool training=True, bool inplace=False",
                a -> F.dropout(a.self(), a.doubleValue("p"), a.bool("training"), a.bool("inplace")));
        function(NN + "instance_norm", "Tensor input, Tensor? running_mean=None, Tensor? running_var=None, Tensor? weight=None, Tensor? bias=None, "
                + "bool use_input_stats=True, float momentum=0.1, float eps=1e-05", a -> F.instanceNorm(a.self(), (Tensor) a.get("running_mean"),
                (Tensor) a.get("running_var"), (Tensor) a.get("weight"), (Tensor) a.get("bias"), a.bool("use_input_stats"), a.doubleValue("momentum"), a.doubleValue("eps")));
        function(NN + "scaled_dot_product_attention", "Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float dropout_p=0.0, bool is_causal=False, "
                + "float? scale=None, bool enable_gqa=False", a -> F.scaledDotProductAttention(a.self(), a.tensor("key"), a.tensor("value"), (Tensor) a.get("attn_mask"),
                a.doubleValue("dropout_p"), a.bool("is_causal"), a.optDouble("scale")));
        function(NN + "dropout2d", "Tensor input, float p=0.5, bool training=True, bool inplace=False",
                a -> F.dropout2d(a.self(), a.doubleValue("p"), a.bool("training"), a.bool("inplace")));
        function(NN + "normalize", "Tensor input, float p=2.0, int dim=1, float eps=1e-12, Tensor? out=None", a -> {
            // x / max(||x||_p, eps) along dim, as torch.nn.functional.normalize computes it
            Tensor x = a.self();
            return x.div(x.norm(a.doubleValue("p"), new int[] {a.intValue("dim")}, true).clampMin(a.doubleValue("eps")).expandAs(x));
        });
        function(NN + "cosine_similarity", "Tensor x1, Tensor x2, int dim=1, float eps=1e-08",
                a -> F.cosineSimilarity(a.self(), a.tensor("x2"), a.intValue("dim"), a.doubleValue("eps")));
        alias("torch.cosine_similarity", NN + "cosine_similarity");
        function(NN + "pairwise_distance", "Tensor x1, Tensor x2, float p=2.0, float eps=1e-06, bool keepdim=False",
                a -> F.pairwiseDistance(a.self(), a.tensor("x2"), a.doubleValue("p"), a.doubleValue("eps"), a.bool("keepdim")));
        function(NN + "one_hot", "Tensor tensor, int num_classes=-1", a -> F.oneHot(a.self(), a.intValue("num_classes")));
        alias("torch._C._nn.one_hot", NN + "one_hot");
        alias("torch.pairwise_distance", NN + "pairwise_distance");
        alias("torch.bilinear", NN + "bilinear");
        alias("torch.adaptive_avg_pool1d", NN + "adaptive_avg_pool1d");
        function("torch.dropout", "Tensor input, float p, bool train", a -> F.dropout(a.self(), a.doubleValue("p"), a.bool("train"), false));
        function(NN + "embedding", "Tensor input, Tensor weight, int? padding_idx=None, float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, "
                + "bool sparse=False", a -> {
            if (a.get("max_norm") != null || a.bool("scale_grad_by_freq") || a.bool("sparse"))
                throw new UnsupportedOperationException("Ember: embedding with max_norm, scale_grad_by_freq or sparse is not implemented yet");
            return F.embedding(a.self(), a.tensor("weight"), a.optInt("padding_idx"));
        });
        function(NN + "pad", "Tensor input, int[] pad, str mode='constant', float? value=None",
                a -> F.pad(a.self(), a.ints("pad"), a.str("mode"), a.get("value") == null ? 0 : a.doubleValue("value")));

        // shape and arithmetic
        function("torch.flatten", "Tensor input, int start_dim=0, int end_dim=-1", a -> a.self().flatten(a.intValue("start_dim"), a.intValue("end_dim")));
        function("torch.reshape", "Tensor input, int[] shape", a -> a.self().reshape(a.ints("shape")));
        function("torch.transpose", "Tensor input, int dim0, int dim1", a -> a.self().transpose(a.intValue("dim0"), a.intValue("dim1")));
        function("torch.permute", "Tensor input, int[] dims", a -> a.self().permute(a.ints("dims")));
        function("torch.t", "Tensor input", a -> a.self().t());
        function("torch.squeeze", "Tensor input, Any dim=None", a -> squeeze(a.self(), a.get("dim")));
        function("torch.unsqueeze", "Tensor input, int dim", a -> a.self().unsqueeze(a.intValue("dim")));
        function("torch.cat", "Tensor[] tensors, int dim=0", a -> Tensor.cat(a.tensors("tensors"), a.intValue("dim")));
        alias("torch.concat", "torch.cat");
        function("torch.stack", "Tensor[] tensors, int dim=0", a -> Tensor.stack(a.tensors("tensors"), a.intValue("dim")));
        function("torch.chunk", "Tensor input, int chunks, int dim=0", a -> OpSupport.list(a.self().chunk(a.intValue("chunks"), a.intValue("dim"))));
        function("torch.split", "Tensor tensor, Any split_size_or_sections, int dim=0", a -> OpSupport.split(a.self(), a.get("split_size_or_sections"), a.intValue("dim")));
        function("torch.matmul", "Tensor input, Tensor other", a -> a.self().matmul(a.tensor("other")));
        function("torch.mm", "Tensor input, Tensor mat2", a -> a.self().mm(a.tensor("mat2")));
        function("torch.bmm", "Tensor input, Tensor mat2", a -> a.self().bmm(a.tensor("mat2")));
        function("torch.addmm", "Tensor input, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1",
                a -> Tensor.addmm(a.self(), a.tensor("mat1"), a.tensor("mat2"), OpSupport.scalar(a.get("beta")), OpSupport.scalar(a.get("alpha"))));
        for (String op : List.of("add", "sub", "mul"))
            function("torch." + op, "Tensor input, Any other, *, Scalar? alpha=None", a -> OpSupport.arith(op, a.self(), a.get("other"), a.get("alpha")));
        function("torch.div", "Tensor input, Any other, *, str? rounding_mode=None", a -> OpSupport.div(a.self(), a.get("other"), (String) a.get("rounding_mode")));
        function("torch.mean", "Tensor input, Any dim=None, bool keepdim=False, *, ScalarType? dtype=None",
                a -> OpSupport.reduce(true, a.self(), a.get("dim"), a.bool("keepdim"), (dev.ember.tensor.DType) a.get("dtype"), "mean"));
        function("torch.sum", "Tensor input, Any dim=None, bool keepdim=False, *, ScalarType? dtype=None",
                a -> OpSupport.reduce(false, a.self(), a.get("dim"), a.bool("keepdim"), (dev.ember.tensor.DType) a.get("dtype"), "sum"));
        function("torch.max", "Tensor input, Any dim=None, bool keepdim=False", a -> OpSupport.max(a.self(), a.get("dim"), a.bool("keepdim"), false));
        function("torch.min", "Tensor input, Any dim=None, bool keepdim=False", a -> OpSupport.max(a.self(), a.get("dim"), a.bool("keepdim"), true));
    }

    /** A float or a tuple of floats (ints accepted, as Python does), or null. */
    static double[] floats(Object v) {
        if (v == null) return null;
        java.util.List<?> l = v instanceof java.util.List<?> list ? list : java.util.List.of(v);
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = Py.dbl(l.get(i));
        return out;
    }

    private static Object softmax(BoundArgs a, boolean log) {
        Tensor x = OpSupport.withDtype(a);
        int dim = a.get("dim") == null ? legacySoftmaxDim(x.dim()) : a.intValue("dim");
        return log ? x.logSoftmax(dim) : x.softmax(dim);
    }

    /** F.softmax without dim: PyTorch's deprecated implicit choice (0 for 0-, 1- and 3-dim input, else 1). */
    private static int legacySoftmaxDim(int ndim) { return ndim == 0 || ndim == 1 || ndim == 3 ? 0 : 1; }

    private static Tensor conv(BoundArgs a, int spatial) {
        Object padding = a.get("padding");
        Tensor x = a.self(), w = a.tensor("weight"), b = (Tensor) a.get("bias");
        if (padding instanceof String p)
            return spatial == 2 ? F.conv2d(x, w, b, a.ints("stride"), p, a.ints("dilation"), a.intValue("groups"))
                    : F.conv1d(x, w, b, a.ints("stride"), p, a.ints("dilation"), a.intValue("groups"));
        int[] pad = OpSupport.dims(padding, "conv" + spatial + "d");
        return spatial == 2 ? F.conv2d(x, w, b, a.ints("stride"), pad, a.ints("dilation"), a.intValue("groups"))
                : F.conv1d(x, w, b, a.ints("stride"), pad, a.ints("dilation"), a.intValue("groups"));
    }

    static Tensor squeeze(Tensor x, Object dim) {
        if (dim == null) return x.squeeze();
        return x.squeeze(OpSupport.dims(dim, "squeeze"));
    }


}

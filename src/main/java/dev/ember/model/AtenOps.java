package dev.ember.model;

import dev.ember.nn.functional.F;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.ember.model.OpTable.function;

/**
 * ATen operators ({@code aten.<name>.<overload>}) as torch.export and make_fx record them, with their schemas
 * from PyTorch's native_functions.yaml. Ops returning several tensors return a list that
 * {@code operator.getitem} picks from.
 */
final class AtenOps {
    private AtenOps() {}

    static void register() {
        // convolution and linear algebra
        function("aten.convolution.default", "Tensor input, Tensor weight, Tensor? bias, int[] stride, int[] padding, int[] dilation, bool transposed, "
                + "int[] output_padding, int groups", AtenOps::convolution);
        function("aten.conv2d.default", "Tensor input, Tensor weight, Tensor? bias=None, int[] stride=1, int[] padding=0, int[] dilation=1, int groups=1",
                a -> F.conv2d(a.self(), a.tensor("weight"), (Tensor) a.get("bias"), a.ints("stride"), a.ints("padding"), a.ints("dilation"), a.intValue("groups")));
        function("aten.conv2d.padding", "Tensor input, Tensor weight, Tensor? bias=None, int[] stride=1, str padding='valid', int[] dilation=1, int groups=1",
                a -> F.conv2d(a.self(), a.tensor("weight"), (Tensor) a.get("bias"), a.ints("stride"), a.str("padding"), a.ints("dilation"), a.intValue("groups")));
        function("aten.conv1d.default", "Tensor input, Tensor weight, Tensor? bias=None, int[] stride=1, int[] padding=0, int[] dilation=1, int groups=1",
                a -> F.conv1d(a.self(), a.tensor("weight"), (Tensor) a.get("bias"), a.ints("stride"), a.ints("padding"), a.ints("dilation"), a.intValue("groups")));
        function("aten.linear.default", "Tensor input, Tensor weight, Tensor? bias=None", a -> F.linear(a.self(), a.tensor("weight"), (Tensor) a.get("bias")));
        function("aten.addmm.default", "Tensor self, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1",
                a -> Tensor.addmm(a.self(), a.tensor("mat1"), a.tensor("mat2"), OpSupport.scalar(a.get("beta")), OpSupport.scalar(a.get("alpha"))));
        function("aten.mm.default", "Tensor self, Tensor mat2", a -> a.self().mm(a.tensor("mat2")));
        function("aten.bmm.default", "Tensor self, Tensor mat2", a -> a.self().bmm(a.tensor("mat2")));
        function("aten.matmul.default", "Tensor self, Tensor other", a -> a.self().matmul(a.tensor("other")));
        function("aten.t.default", "Tensor self", a -> a.self().t());

        // views and shapes
        function("aten.view.default", "Tensor self, int[] size", a -> a.self().view(a.ints("size")));
        function("aten.reshape.default", "Tensor self, int[] shape", a -> a.self().reshape(a.ints("shape")));
        function("aten._unsafe_view.default", "Tensor self, int[] size", a -> a.self().reshape(a.ints("size")));
        function("aten._reshape_alias.default", "Tensor self, int[] size, int[] stride", a -> a.self().reshape(a.ints("size")));
        function("aten.flatten.using_ints", "Tensor self, int start_dim=0, int end_dim=-1", a -> a.self().flatten(a.intValue("start_dim"), a.intValue("end_dim")));
        function("aten.transpose.int", "Tensor self, int dim0, int dim1", a -> a.self().transpose(a.intValue("dim0"), a.intValue("dim1")));
        function("aten.permute.default", "Tensor self, int[] dims", a -> a.self().permute(a.ints("dims")));
        function("aten.unsqueeze.default", "Tensor self, int dim", a -> a.self().unsqueeze(a.intValue("dim")));
        function("aten.squeeze.dim", "Tensor self, int dim", a -> a.self().squeeze(a.intValue("dim")));
        function("aten.squeeze.dims", "Tensor self, int[] dim", a -> a.self().squeeze(a.ints("dim")));
        function("aten.squeeze.default", "Tensor self", a -> a.self().squeeze());
        function("aten.expand.default", "Tensor self, int[] size, *, bool implicit=False", a -> a.self().expand(a.ints("size")));
        function("aten.select.int", "Tensor self, int dim, int index", a -> a.self().select(a.intValue("dim"), a.intValue("index")));
        function("aten.slice.Tensor", "Tensor self, int dim=0, int? start=None, int? end=None, int step=1", AtenOps::slice);
        function("aten.cat.default", "Tensor[] tensors, int dim=0", a -> Tensor.cat(a.tensors("tensors"), a.intValue("dim")));
        function("aten.stack.default", "Tensor[] tensors, int dim=0", a -> Tensor.stack(a.tensors("tensors"), a.intValue("dim")));
        function("aten.split.Tensor", "Tensor self, int split_size, int dim=0", a -> OpSupport.list(a.self().split(a.intValue("split_size"), a.intValue("dim"))));
        function("aten.split_with_sizes.default", "Tensor self, int[] split_sizes, int dim=0",
                a -> OpSupport.list(a.self().splitWithSizes(a.ints("split_sizes"), a.intValue("dim"))));
        function("aten.chunk.default", "Tensor self, int chunks, int dim=0", a -> OpSupport.list(a.self().chunk(a.intValue("chunks"), a.intValue("dim"))));
        function("aten.unbind.int", "Tensor self, int dim=0", a -> OpSupport.list(a.self().unbind(a.intValue("dim"))));
        function("aten.clone.default", "Tensor self, *, MemoryFormat? memory_format=None", a -> a.self().clone());
        function("aten.contiguous.default", "Tensor self, *, MemoryFormat? memory_format=None", a -> a.self().contiguous());
        function("aten.alias.default", "Tensor self", a -> a.self().view(a.self().shape()));
        function("aten.detach.default", "Tensor self", a -> a.self().detach());
        function("aten.lift_fresh_copy.default", "Tensor self", a -> a.self().clone());
        function("aten._to_copy.default", "Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, "
                + "bool non_blocking=False, MemoryFormat? memory_format=None", a -> {
            Tensor x = a.self();
            Tensor out = a.get("dtype") == null ? x.clone() : x.to(a.dtype("dtype"));
            if (out == x) out = x.clone();
            return a.get("device") == null ? out : out.to(a.device("device"));
        });
        function("aten.sym_size.int", "Tensor self, int dim", a -> (long) a.self().size(a.intValue("dim")));
        function("aten.sym_numel.default", "Tensor self", a -> (long) a.self().numel());

        // pointwise
        for (String op : List.of("add", "sub", "mul", "div")) {
            String alpha = op.equals("add") || op.equals("sub") ? ", *, Scalar? alpha=None" : "";
            function("aten." + op + ".Tensor", "Tensor self, Any other" + alpha, a -> OpSupport.arith(op, a.self(), a.get("other"), alpha.isEmpty() ? null : a.get("alpha")));
            function("aten." + op + ".Scalar", "Tensor self, Scalar other" + alpha.replace(", *", ""),
                    a -> OpSupport.arith(op, a.self(), a.get("other"), alpha.isEmpty() ? null : a.get("alpha")));
        }
        function("aten.add_.Tensor", "Tensor self, Any other, *, Scalar? alpha=None", a -> inplace(a.self(), OpSupport.arith("add", a.self(), a.get("other"), a.get("alpha"))));
        function("aten.mul_.Tensor", "Tensor self, Any other", a -> inplace(a.self(), OpSupport.arith("mul", a.self(), a.get("other"), null)));
        function("aten.div.Tensor_mode", "Tensor self, Tensor other, *, str? rounding_mode", a -> OpSupport.div(a.self(), a.get("other"), (String) a.get("rounding_mode")));
        function("aten.rsub.Scalar", "Tensor self, Scalar other, Scalar alpha=1", a -> Py.sub(a.get("other"), Py.mul(a.self(), a.get("alpha"))));
        function("aten.pow.Tensor_Scalar", "Tensor self, Scalar exponent", a -> Py.pow(a.self(), a.get("exponent")));
        function("aten.relu.default", "Tensor self", a -> a.self().relu());
        function("aten.relu_.default", "Tensor self", a -> a.self().relu_());
        function("aten.sigmoid.default", "Tensor self", a -> a.self().sigmoid());
        function("aten.tanh.default", "Tensor self", a -> a.self().tanh());
        function("aten.gelu.default", "Tensor self, *, str approximate='none'", a -> F.gelu(a.self(), a.str("approximate")));
        function("aten.silu.default", "Tensor self", a -> F.silu(a.self()));
        function("aten.hardtanh.default", "Tensor self, Scalar min_val=-1, Scalar max_val=1",
                a -> F.hardtanh(a.self(), OpSupport.scalar(a.get("min_val")), OpSupport.scalar(a.get("max_val"))));
        function("aten.leaky_relu.default", "Tensor self, Scalar negative_slope=0.01", a -> F.leakyRelu(a.self(), OpSupport.scalar(a.get("negative_slope"))));
        function("aten.exp.default", "Tensor self", a -> a.self().exp());
        function("aten.log.default", "Tensor self", a -> a.self().log());
        function("aten.sqrt.default", "Tensor self", a -> a.self().sqrt());
        function("aten.rsqrt.default", "Tensor self", a -> a.self().rsqrt());
        function("aten.neg.default", "Tensor self", a -> a.self().neg());
        function("aten.abs.default", "Tensor self", a -> a.self().abs());
        function("aten.erf.default", "Tensor self", a -> a.self().erf());
        function("aten.clamp.default", "Tensor self, Scalar? min=None, Scalar? max=None", a -> OpSupport.clamp(a.self(), a.get("min"), a.get("max")));
        function("aten.where.self", "Tensor condition, Tensor self, Tensor other", a -> Tensor.where(a.tensor("condition"), a.tensor("self"), a.tensor("other")));
        function("aten.masked_fill.Scalar", "Tensor self, Tensor mask, Scalar value", a -> OpSupport.maskedFill(a.self(), a.tensor("mask"), a.get("value")));

        // reductions and softmax
        function("aten.mean.dim", "Tensor self, int[]? dim, bool keepdim=False, *, ScalarType? dtype=None",
                a -> OpSupport.reduce(true, a.self(), a.get("dim"), a.bool("keepdim"), (DType) a.get("dtype"), "mean"));
        function("aten.mean.default", "Tensor self, *, ScalarType? dtype=None", a -> OpSupport.reduce(true, a.self(), null, false, (DType) a.get("dtype"), "mean"));
        function("aten.sum.dim_IntList", "Tensor self, int[]? dim, bool keepdim=False, *, ScalarType? dtype=None",
                a -> OpSupport.reduce(false, a.self(), a.get("dim"), a.bool("keepdim"), (DType) a.get("dtype"), "sum"));
        function("aten.sum.default", "Tensor self, *, ScalarType? dtype=None", a -> OpSupport.reduce(false, a.self(), null, false, (DType) a.get("dtype"), "sum"));
        function("aten.amax.default", "Tensor self, int[] dim=[], bool keepdim=False", a -> a.self().amax(allIfEmpty(a.self(), a.ints("dim")), a.bool("keepdim")));
        function("aten.max.dim", "Tensor self, int dim, bool keepdim=False", a -> OpSupport.pair(a.self().max(a.intValue("dim"), a.bool("keepdim"))));
        function("aten.argmax.default", "Tensor self, int? dim=None, bool keepdim=False",
                a -> a.get("dim") == null ? a.self().argmax() : a.self().argmax(a.intValue("dim"), a.bool("keepdim")));
        function("aten._softmax.default", "Tensor self, int dim, bool half_to_float", a -> a.self().softmax(a.intValue("dim")));
        function("aten._log_softmax.default", "Tensor self, int dim, bool half_to_float", a -> a.self().logSoftmax(a.intValue("dim")));
        function("aten.softmax.int", "Tensor self, int dim, ScalarType? dtype=None", a -> withDtype(a).softmax(a.intValue("dim")));
        function("aten.log_softmax.int", "Tensor self, int dim, ScalarType? dtype=None", a -> withDtype(a).logSoftmax(a.intValue("dim")));

        // pooling
        String maxPool = "Tensor self, int[] kernel_size, int[] stride=[], int[] padding=0, int[] dilation=1, bool ceil_mode=False";
        function("aten.max_pool2d_with_indices.default", maxPool, a -> OpSupport.list(maxPool2d(a)));
        function("aten.max_pool2d.default", maxPool, a -> maxPool2d(a).get(0));
        function("aten.avg_pool2d.default", "Tensor self, int[] kernel_size, int[] stride=[], int[] padding=0, bool ceil_mode=False, bool count_include_pad=True, "
                + "int? divisor_override=None", a -> F.avgPool2d(a.self(), a.ints("kernel_size"), a.ints("stride"), a.ints("padding"), a.bool("ceil_mode"),
                a.bool("count_include_pad"), a.optInt("divisor_override")));
        function("aten._adaptive_avg_pool2d.default", "Tensor self, int[] output_size", a -> F.adaptiveAvgPool2d(a.self(), a.ints("output_size")));
        function("aten.adaptive_avg_pool2d.default", "Tensor self, int[] output_size", a -> F.adaptiveAvgPool2d(a.self(), a.ints("output_size")));
        function("aten.adaptive_max_pool2d.default", "Tensor self, int[] output_size",
                a -> OpSupport.list(F.adaptiveMaxPool2dWithIndices(a.self(), a.ints("output_size"))));

        // normalisation, dropout, embedding
        function("aten.batch_norm.default", "Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, "
                + "float momentum, float eps, bool cudnn_enabled", a -> batchNorm(a, a.bool("training")));
        function("aten.native_batch_norm.default", "Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool training, "
                + "float momentum, float eps", a -> withStats(batchNorm(a, a.bool("training"))));
        function("aten._native_batch_norm_legit_no_training.default", "Tensor input, Tensor? weight, Tensor? bias, Tensor running_mean, Tensor running_var, "
                + "float momentum, float eps", a -> withStats(batchNorm(a, false)));
        function("aten._native_batch_norm_legit.default", "Tensor input, Tensor? weight, Tensor? bias, Tensor running_mean, Tensor running_var, bool training, "
                + "float momentum, float eps", a -> withStats(batchNorm(a, a.bool("training"))));
        function("aten.layer_norm.default", "Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool cudnn_enable=True",
                a -> F.layerNorm(a.self(), a.ints("normalized_shape"), (Tensor) a.get("weight"), (Tensor) a.get("bias"), a.doubleValue("eps")));
        function("aten.native_layer_norm.default", "Tensor input, int[] normalized_shape, Tensor? weight, Tensor? bias, float eps",
                a -> withStats(F.layerNorm(a.self(), a.ints("normalized_shape"), (Tensor) a.get("weight"), (Tensor) a.get("bias"), a.doubleValue("eps"))));
        function("aten.group_norm.default", "Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool cudnn_enabled=True",
                a -> F.groupNorm(a.self(), a.intValue("num_groups"), (Tensor) a.get("weight"), (Tensor) a.get("bias"), a.doubleValue("eps")));
        function("aten.dropout.default", "Tensor input, float p, bool train", a -> F.dropout(a.self(), a.doubleValue("p"), a.bool("train"), false));
        function("aten.native_dropout.default", "Tensor input, float p, bool? train", a -> {
            if (Boolean.TRUE.equals(a.get("train")) && a.doubleValue("p") > 0)
                throw new UnsupportedOperationException("Ember: aten.native_dropout in training mode is not implemented yet (export the model in eval mode)");
            return List.of(a.self().clone(), Tensor.onesLike(a.self()).to(DType.BOOL));
        });
        function("aten.embedding.default", "Tensor weight, Tensor indices, int padding_idx=-1, bool scale_grad_by_freq=False, bool sparse=False", a -> {
            if (a.bool("scale_grad_by_freq") || a.bool("sparse"))
                throw new UnsupportedOperationException("Ember: embedding with scale_grad_by_freq or sparse is not implemented yet");
            int pad = a.intValue("padding_idx");
            return F.embedding(a.tensor("indices"), a.tensor("weight"), pad == -1 ? null : pad);
        });

        // creation
        String factory = ", *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None";
        function("aten.zeros.default", "int[] size" + factory, a -> Tensor.zeros(a.ints("size"), dtypeOr(a, DType.FLOAT32)));
        function("aten.ones.default", "int[] size" + factory, a -> Tensor.ones(a.ints("size"), dtypeOr(a, DType.FLOAT32)));
        function("aten.full.default", "int[] size, Scalar fill_value" + factory,
                a -> Tensor.full(a.ints("size"), OpSupport.scalar(a.get("fill_value")), dtypeOr(a, a.get("fill_value") instanceof Double ? DType.FLOAT32
                        : a.get("fill_value") instanceof Boolean ? DType.BOOL : DType.INT64)));
        function("aten.scalar_tensor.default", "Scalar s" + factory, a -> Tensor.scalar(OpSupport.scalar(a.get("s")), dtypeOr(a, DType.FLOAT32)));
    }

    private static Tensor convolution(BoundArgs a) {
        Tensor x = a.self(), w = a.tensor("weight"), b = (Tensor) a.get("bias");
        int spatial = w.dim() - 2;
        if (spatial != 1 && spatial != 2) throw new UnsupportedOperationException("Ember: " + spatial + "-d convolution is not implemented yet");
        if (a.bool("transposed")) {
            return spatial == 2 ? F.convTranspose2d(x, w, b, a.ints("stride"), a.ints("padding"), a.ints("output_padding"), a.intValue("groups"), a.ints("dilation"))
                    : F.convTranspose1d(x, w, b, a.ints("stride"), a.ints("padding"), a.ints("output_padding"), a.intValue("groups"), a.ints("dilation"));
        }
        return spatial == 2 ? F.conv2d(x, w, b, a.ints("stride"), a.ints("padding"), a.ints("dilation"), a.intValue("groups"))
                : F.conv1d(x, w, b, a.ints("stride"), a.ints("padding"), a.ints("dilation"), a.intValue("groups"));
    }

    private static Tensor slice(BoundArgs a) {
        Tensor x = a.self();
        int dim = a.intValue("dim");
        int d = dim < 0 ? dim + x.dim() : dim;
        long n = x.size(d);
        // ATen clamps start/end into [0, n] (end is often INT64_MAX for "to the end")
        long start = a.get("start") == null ? 0 : a.longValue("start"), end = a.get("end") == null ? n : a.longValue("end");
        if (start < 0) start += n;
        if (end < 0) end += n;
        start = Math.clamp(start, 0, n);
        end = Math.clamp(end, start, n);
        return x.slice(dim, (int) start, (int) end, a.intValue("step"));
    }

    private static List<Tensor> maxPool2d(BoundArgs a) {
        return F.maxPool2dWithIndices(a.self(), a.ints("kernel_size"), a.ints("stride"), a.ints("padding"), a.ints("dilation"), a.bool("ceil_mode"));
    }

    private static Tensor batchNorm(BoundArgs a, boolean training) {
        return F.batchNorm(a.self(), (Tensor) a.get("running_mean"), (Tensor) a.get("running_var"), (Tensor) a.get("weight"), (Tensor) a.get("bias"), training,
                a.doubleValue("momentum"), a.doubleValue("eps"));
    }

    /**
     * The native norms also return the statistics they saved for backward (mean, inverse std); traced inference graphs
     * only read element 0, and Ember's norms keep their statistics to themselves, so the others are empty.
     */
    private static List<Object> withStats(Tensor out) {
        List<Object> r = new ArrayList<>();
        r.add(out);
        r.add(Tensor.empty(0));
        r.add(Tensor.empty(0));
        return r;
    }

    private static Tensor inplace(Tensor self, Object result) { return self.copy_((Tensor) result); }

    private static Tensor withDtype(BoundArgs a) { return a.get("dtype") == null ? a.self() : a.self().to(a.dtype("dtype")); }

    private static DType dtypeOr(BoundArgs a, DType dflt) { return a.get("dtype") == null ? dflt : a.dtype("dtype"); }

    private static int[] allIfEmpty(Tensor x, int[] dims) {
        if (dims.length > 0) return dims;
        int[] all = new int[x.dim()];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }
}

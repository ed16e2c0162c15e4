package dev.ember.model;

import dev.ember.nn.functional.F;
import dev.ember.nn.functional.Recurrent;
import dev.ember.nn.functional.Resampling;
import dev.ember.tensor.DType;
import dev.ember.tensor.MemoryFormat;
import dev.ember.tensor.Idx;
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
        function("aten.conv1d.padding", "Tensor input, Tensor weight, Tensor? bias=None, int[] stride=1, str padding='valid', int[] dilation=1, int groups=1",
                a -> F.conv1d(a.self(), a.tensor("weight"), (Tensor) a.get("bias"), a.ints("stride"), a.str("padding"), a.ints("dilation"), a.intValue("groups")));
        String convT = "Tensor input, Tensor weight, Tensor? bias=None, int[] stride=1, int[] padding=0, int[] output_padding=0, int groups=1, int[] dilation=1";
        function("aten.conv_transpose2d.input", convT, a -> F.convTranspose2d(a.self(), a.tensor("weight"), (Tensor) a.get("bias"), a.ints("stride"),
                a.ints("padding"), a.ints("output_padding"), a.intValue("groups"), a.ints("dilation")));
        function("aten.conv_transpose1d.default", convT, a -> F.convTranspose1d(a.self(), a.tensor("weight"), (Tensor) a.get("bias"), a.ints("stride"),
                a.ints("padding"), a.ints("output_padding"), a.intValue("groups"), a.ints("dilation")));
        function("aten.bilinear.default", "Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None",
                a -> F.bilinear(a.self(), a.tensor("input2"), a.tensor("weight"), (Tensor) a.get("bias")));
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
        function("aten.unflatten.int", "Tensor self, int dim, int[] sizes", a -> a.self().unflatten(a.intValue("dim"), a.ints("sizes")));
        function("aten.expand_as.default", "Tensor self, Tensor other", a -> a.self().expandAs(a.tensor("other")));
        function("aten.view_as.default", "Tensor self, Tensor other", a -> a.self().viewAs(a.tensor("other")));
        function("aten.reshape_as.default", "Tensor self, Tensor other", a -> a.self().reshapeAs(a.tensor("other")));
        function("aten.type_as.default", "Tensor self, Tensor other", a -> a.self().to(a.tensor("other").dtype()));
        function("aten.narrow.default", "Tensor self, int dim, int start, int length", a -> a.self().narrow(a.intValue("dim"), a.intValue("start"), a.intValue("length")));
        // torch.export's checks that a tensor still has the traced dtype/device: true by construction here
        function("aten._assert_tensor_metadata.default", "Tensor a, int[]? size=None, int[]? stride=None, ScalarType? dtype=None, *, Device? device=None, "
                + "Layout? layout=None", a -> null);
        function("aten.transpose.int", "Tensor self, int dim0, int dim1", a -> a.self().transpose(a.intValue("dim0"), a.intValue("dim1")));
        function("aten.permute.default", "Tensor self, int[] dims", a -> a.self().permute(a.ints("dims")));
        // in-place view ops (make_fx keeps nn.GRU's batch_first transpose_): later nodes may read self as well as the result
        function("aten.transpose_.default", "Tensor self, int dim0, int dim1", a -> a.self().transpose_(a.intValue("dim0"), a.intValue("dim1")));
        function("aten.unsqueeze_.default", "Tensor self, int dim", a -> a.self().unsqueeze_(a.intValue("dim")));
        function("aten.squeeze_.dim", "Tensor self, int dim", a -> a.self().squeeze_(a.intValue("dim")));
        function("aten.squeeze_.default", "Tensor self", a -> a.self().squeeze_());
        function("aten.t_.default", "Tensor self", a -> a.self().t_());
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
        // PyTorch's unsafe_ variants give each piece its own version counter, so the pieces may be written in place
        // independently (RNN cells decomposed by make_fx do so); separate copies are the same contract
        function("aten.unsafe_split.Tensor", "Tensor self, int split_size, int dim=0", a -> pieces(a.self().split(a.intValue("split_size"), a.intValue("dim"))));
        function("aten.unsafe_split_with_sizes.default", "Tensor self, int[] split_sizes, int dim=0",
                a -> pieces(a.self().splitWithSizes(a.ints("split_sizes"), a.intValue("dim"))));
        function("aten.unsafe_chunk.default", "Tensor self, int chunks, int dim=0", a -> pieces(a.self().chunk(a.intValue("chunks"), a.intValue("dim"))));
        function("aten.chunk.default", "Tensor self, int chunks, int dim=0", a -> OpSupport.list(a.self().chunk(a.intValue("chunks"), a.intValue("dim"))));
        function("aten.unbind.int", "Tensor self, int dim=0", a -> OpSupport.list(a.self().unbind(a.intValue("dim"))));
        function("aten.clone.default", "Tensor self, *, MemoryFormat? memory_format=None", a -> a.self().clone(OpSupport.memoryFormat(a)));
        function("aten.contiguous.default", "Tensor self, *, MemoryFormat? memory_format=None", a -> a.self().contiguous());
        function("aten.alias.default", "Tensor self", a -> a.self().view(a.self().shape()));
        function("aten.detach.default", "Tensor self", a -> a.self().detach());
        function("aten.lift_fresh_copy.default", "Tensor self", a -> a.self().clone());
        function("aten._to_copy.default", "Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, "
                + "bool non_blocking=False, MemoryFormat? memory_format=None", a -> {
            Tensor x = a.self();
            Tensor out = a.get("dtype") == null ? x : x.to(a.dtype("dtype"));
            if (out == x || (OpSupport.memoryFormat(a) == MemoryFormat.CONTIGUOUS && !out.isContiguous())) out = out.clone(OpSupport.memoryFormat(a));
            return a.get("device") == null ? out : out.to(a.device("device"));
        });
        // advanced indexing: a None entry keeps that dim whole
        function("aten.index.Tensor", "Tensor self, Any indices", a -> a.self().index(advanced(a.get("indices"))));
        function("aten.index_put.default", "Tensor self, Any indices, Tensor values, bool accumulate=False",
                a -> indexPut(a.self().clone(), advanced(a.get("indices")), a.tensor("values"), a.bool("accumulate")));
        function("aten.index_put_.default", "Tensor self, Any indices, Tensor values, bool accumulate=False",
                a -> indexPut(a.self(), advanced(a.get("indices")), a.tensor("values"), a.bool("accumulate")));
        String to = ", bool non_blocking=False, bool copy=False, MemoryFormat? memory_format=None";
        function("aten.to.dtype", "Tensor self, ScalarType dtype" + to, a -> a.self().to(a.dtype("dtype")));
        function("aten.to.device", "Tensor self, Device device, ScalarType dtype" + to, a -> a.self().to(a.dtype("dtype")).to(a.device("device")));
        function("aten.to.dtype_layout", "Tensor self, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None" + to, a -> {
            Tensor x = OpSupport.withDtype(a);
            return a.get("device") == null ? x : x.to(a.device("device"));
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
        function("aten.add_.Tensor", "Tensor self, Any other, *, Scalar? alpha=None", a -> OpSupport.inplace(a.self(), x -> OpSupport.arith("add", x, a.get("other"), a.get("alpha"))));
        function("aten.mul_.Tensor", "Tensor self, Any other", a -> OpSupport.inplace(a.self(), x -> OpSupport.arith("mul", x, a.get("other"), null)));
        function("aten.div.Tensor_mode", "Tensor self, Tensor other, *, str? rounding_mode", a -> OpSupport.div(a.self(), a.get("other"), (String) a.get("rounding_mode")));
        function("aten.rsub.Scalar", "Tensor self, Scalar other, Scalar alpha=1", a -> Py.sub(a.get("other"), Py.mul(a.self(), a.get("alpha"))));
        function("aten.gelu.default", "Tensor self, *, str approximate='none'", a -> F.gelu(a.self(), a.str("approximate")));
        function("aten.silu.default", "Tensor self", a -> F.silu(a.self()));
        function("aten.hardtanh.default", "Tensor self, Scalar min_val=-1, Scalar max_val=1",
                a -> F.hardtanh(a.self(), OpSupport.scalar(a.get("min_val")), OpSupport.scalar(a.get("max_val"))));
        function("aten.elu.default", "Tensor self, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1", a -> {
            // ATen's elu is scale * (x > 0 ? x : alpha * (exp(input_scale * x) - 1)); selu and celu decompose into it
            double alpha = OpSupport.scalar(a.get("alpha")), inputScale = OpSupport.scalar(a.get("input_scale"));
            if (inputScale != 1 && OpSupport.scalar(a.get("scale")) == 1 && Math.abs(inputScale * alpha - 1) < 1e-12) return F.celu(a.self(), alpha);
            if (inputScale != 1)
                throw new UnsupportedOperationException("Ember: aten.elu with input_scale != 1 is not implemented yet");
            Tensor y = F.elu(a.self(), alpha);
            return OpSupport.scalar(a.get("scale")) == 1 ? y : y.mul(OpSupport.scalar(a.get("scale")));
        });
        function("aten.softplus.default", "Tensor self, Scalar beta=1, Scalar threshold=20",
                a -> F.softplus(a.self(), OpSupport.scalar(a.get("beta")), OpSupport.scalar(a.get("threshold"))));
        function("aten.relu6.default", "Tensor self", a -> F.relu6(a.self()));
        function("aten.selu.default", "Tensor self", a -> F.selu(a.self()));
        function("aten.celu.default", "Tensor self, Scalar alpha=1.0", a -> F.celu(a.self(), OpSupport.scalar(a.get("alpha"))));
        function("aten.log_sigmoid.default", "Tensor self", a -> F.logsigmoid(a.self()));
        function("aten.hardtanh_.default", "Tensor self, Scalar min_val=-1, Scalar max_val=1",
                a -> OpSupport.inplace(a.self(), x -> F.hardtanh((Tensor) x, OpSupport.scalar(a.get("min_val")), OpSupport.scalar(a.get("max_val")))));
        function("aten.hardswish.default", "Tensor self", a -> F.hardswish(a.self()));
        function("aten.hardsigmoid.default", "Tensor self", a -> F.hardsigmoid(a.self()));
        function("aten.mish.default", "Tensor self", a -> F.mish(a.self()));
        function("aten.glu.default", "Tensor self, int dim=-1", a -> F.glu(a.self(), a.intValue("dim")));
        function("aten.prelu.default", "Tensor self, Tensor weight", a -> F.prelu(a.self(), a.tensor("weight")));
        function("aten._prelu_kernel.default", "Tensor self, Tensor weight", a -> F.prelu(a.self(), a.tensor("weight")));
        function("aten.pixel_shuffle.default", "Tensor self, int upscale_factor", a -> F.pixelShuffle(a.self(), a.intValue("upscale_factor")));
        function("aten.leaky_relu.default", "Tensor self, Scalar negative_slope=0.01", a -> F.leakyRelu(a.self(), OpSupport.scalar(a.get("negative_slope"))));
        function("aten.masked_fill.Tensor", "Tensor self, Tensor mask, Tensor value", a -> OpSupport.maskedFill(a.self(), a.tensor("mask"), a.get("value")));
        function("aten.masked_fill.Scalar", "Tensor self, Tensor mask, Scalar value", a -> OpSupport.maskedFill(a.self(), a.tensor("mask"), a.get("value")));

        // reductions and softmax
        function("aten.mean.dim", "Tensor self, int[]? dim, bool keepdim=False, *, ScalarType? dtype=None",
                a -> OpSupport.reduce(true, a.self(), a.get("dim"), a.bool("keepdim"), (DType) a.get("dtype"), "mean"));
        function("aten.mean.default", "Tensor self, *, ScalarType? dtype=None", a -> OpSupport.reduce(true, a.self(), null, false, (DType) a.get("dtype"), "mean"));
        function("aten.sum.dim_IntList", "Tensor self, int[]? dim, bool keepdim=False, *, ScalarType? dtype=None",
                a -> OpSupport.reduce(false, a.self(), a.get("dim"), a.bool("keepdim"), (DType) a.get("dtype"), "sum"));
        function("aten.sum.default", "Tensor self, *, ScalarType? dtype=None", a -> OpSupport.reduce(false, a.self(), null, false, (DType) a.get("dtype"), "sum"));
        function("aten.max.dim", "Tensor self, int dim, bool keepdim=False", a -> OpSupport.pair(a.self().max(a.intValue("dim"), a.bool("keepdim"))));
        function("aten._softmax.default", "Tensor self, int dim, bool half_to_float", a -> a.self().softmax(a.intValue("dim")));
        function("aten._log_softmax.default", "Tensor self, int dim, bool half_to_float", a -> a.self().logSoftmax(a.intValue("dim")));
        function("aten.softmax.int", "Tensor self, int dim, ScalarType? dtype=None", a -> OpSupport.withDtype(a).softmax(a.intValue("dim")));
        function("aten.log_softmax.int", "Tensor self, int dim, ScalarType? dtype=None", a -> OpSupport.withDtype(a).logSoftmax(a.intValue("dim")));

        // resampling: .vec carries F.interpolate's size or scale factors, .default the output size and the original scales
        for (String[] up : new String[][] {{"nearest1d", "nearest"}, {"nearest2d", "nearest"}, {"_upsample_nearest_exact1d", "nearest-exact"},
                {"_upsample_nearest_exact2d", "nearest-exact"}, {"linear1d", "linear"}, {"bilinear2d", "bilinear"}}) {
            String op = up[0].startsWith("_") ? "aten." + up[0] : "aten.upsample_" + up[0];
            boolean linear = up[1].contains("linear");
            String align = linear ? ", bool align_corners" : "";
            function(op + ".vec", "Tensor input, int[]? output_size" + align + ", Any scale_factors", a -> F.interpolate(a.self(),
                    a.get("output_size") == null ? null : a.ints("output_size"), a.get("output_size") == null ? TorchFunctions.floats(a.get("scale_factors")) : null,
                    up[1], linear ? a.bool("align_corners") : null, null));
            int spatial = up[0].endsWith("1d") ? 1 : 2;
            String scales = spatial == 1 ? ", float? scales=None" : ", float? scales_h=None, float? scales_w=None";
            function(op + ".default", "Tensor self, int[] output_size" + align + scales, a -> {
                int[] out = a.ints("output_size");
                double[] ratios = new double[spatial];
                for (int d = 0; d < spatial; d++) {
                    Object s = a.get(spatial == 1 ? "scales" : d == 0 ? "scales_h" : "scales_w");
                    ratios[d] = s != null && Py.dbl(s) > 0 ? 1 / Py.dbl(s) : (double) a.self().size(2 + d) / out[d];
                }
                return Resampling.resample(a.self(), out, ratios, up[1], linear && a.bool("align_corners"));
            });
        }

        // recurrent layers, as nn.RNN/LSTM/GRU call them: (output, h_n[, c_n])
        String rnn = ", Tensor[] params, bool has_biases, int num_layers, float dropout, bool train, bool bidirectional, bool batch_first";
        for (String mode : List.of("rnn_tanh", "rnn_relu", "gru"))
            function("aten." + mode + ".input", "Tensor input, Tensor hx" + rnn, a -> recurrent(a, mode.toUpperCase(), a.tensor("hx"), null));
        function("aten.lstm.input", "Tensor input, Tensor[] hx" + rnn, a -> recurrent(a, "LSTM", a.tensors("hx").get(0), a.tensors("hx").get(1)));

        String cell = ", Tensor w_ih, Tensor w_hh, Tensor? b_ih=None, Tensor? b_hh=None";
        for (String mode : List.of("rnn_tanh", "rnn_relu", "gru"))
            function("aten." + mode + "_cell.default", "Tensor input, Tensor hx" + cell, a -> Recurrent.cell(mode.toUpperCase(), a.self(), a.tensor("hx"), null,
                    a.tensor("w_ih"), a.tensor("w_hh"), (Tensor) a.get("b_ih"), (Tensor) a.get("b_hh"))[0]);
        function("aten.lstm_cell.default", "Tensor input, Tensor[] hx" + cell, a -> List.of((Object[]) Recurrent.cell("LSTM", a.self(), a.tensors("hx").get(0),
                a.tensors("hx").get(1), a.tensor("w_ih"), a.tensor("w_hh"), (Tensor) a.get("b_ih"), (Tensor) a.get("b_hh"))));
        function("aten.scaled_dot_product_attention.default", "Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float dropout_p=0.0, "
                + "bool is_causal=False, *, float? scale=None, bool enable_gqa=False", a -> F.scaledDotProductAttention(a.self(), a.tensor("key"), a.tensor("value"),
                (Tensor) a.get("attn_mask"), a.doubleValue("dropout_p"), a.bool("is_causal"), a.optDouble("scale")));
        function("aten.instance_norm.default", "Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool use_input_stats, "
                + "float momentum, float eps, bool cudnn_enabled", a -> F.instanceNorm(a.self(), (Tensor) a.get("running_mean"), (Tensor) a.get("running_var"),
                (Tensor) a.get("weight"), (Tensor) a.get("bias"), a.bool("use_input_stats"), a.doubleValue("momentum"), a.doubleValue("eps")));

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

        function("aten.max_pool1d.default", "Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, int[1] dilation=1, bool ceil_mode=False",
                a -> F.maxPool1dWithIndices(a.self(), OpSupport.one(a, "kernel_size"), a.ints("stride").length == 0 ? null : OpSupport.one(a, "stride"),
                        OpSupport.one(a, "padding"), OpSupport.one(a, "dilation"), a.bool("ceil_mode")).get(0));
        function("aten.avg_pool1d.default", "Tensor self, int[1] kernel_size, int[1] stride=[], int[1] padding=0, bool ceil_mode=False, bool count_include_pad=True",
                a -> F.avgPool1d(a.self(), OpSupport.one(a, "kernel_size"), a.ints("stride").length == 0 ? null : OpSupport.one(a, "stride"),
                        OpSupport.one(a, "padding"), a.bool("ceil_mode"), a.bool("count_include_pad")));
        function("aten.adaptive_avg_pool1d.default", "Tensor self, int[1] output_size", a -> F.adaptiveAvgPool1d(a.self(), OpSupport.one(a, "output_size")));

        // padding, distances, one-hot
        function("aten.pad.default", "Tensor self, int[] pad, str mode='constant', float? value=None",
                a -> F.pad(a.self(), a.ints("pad"), a.str("mode"), a.get("value") == null ? 0 : a.doubleValue("value")));
        function("aten.constant_pad_nd.default", "Tensor self, int[] pad, Scalar value=0", a -> F.pad(a.self(), a.ints("pad"), "constant", OpSupport.scalar(a.get("value"))));
        for (String[] pad : new String[][] {{"reflection", "reflect"}, {"replication", "replicate"}}) {
            for (String d : List.of("1d", "2d"))
                function("aten." + pad[0] + "_pad" + d + ".default", "Tensor self, int[] padding", a -> F.pad(a.self(), a.ints("padding"), pad[1], 0));
        }
        function("aten.cosine_similarity.default", "Tensor x1, Tensor x2, int dim=1, float eps=1e-08",
                a -> F.cosineSimilarity(a.self(), a.tensor("x2"), a.intValue("dim"), a.doubleValue("eps")));
        function("aten.pairwise_distance.default", "Tensor x1, Tensor x2, float p=2, float eps=1e-06, bool keepdim=False",
                a -> F.pairwiseDistance(a.self(), a.tensor("x2"), a.doubleValue("p"), a.doubleValue("eps"), a.bool("keepdim")));
        function("aten.one_hot.default", "Tensor self, int num_classes=-1", a -> F.oneHot(a.self(), a.intValue("num_classes")));

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
        function("aten.feature_dropout.default", "Tensor input, float p, bool train", a -> F.dropout2d(a.self(), a.doubleValue("p"), a.bool("train"), false));
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
    }

    /** ATen's index list: a tensor per indexed dim, None for a dim taken whole. */
    private static Object[] advanced(Object indices) {
        List<?> l = (List<?>) indices;
        Object[] out = new Object[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i) == null ? Idx.all() : l.get(i);
        return out;
    }

    private static Tensor indexPut(Tensor target, Object[] indices, Tensor values, boolean accumulate) {
        return target.indexPut_(indices, values, accumulate);
    }

    private static List<Object> recurrent(BoundArgs a, String mode, Tensor h, Tensor c) {
        boolean batchFirst = a.bool("batch_first");
        Tensor x = batchFirst ? a.self().transpose(0, 1) : a.self();
        Recurrent.Result r = Recurrent.run(mode, x, h, c, a.tensors("params"), a.bool("has_biases"), a.intValue("num_layers"), a.doubleValue("dropout"),
                a.bool("train"), a.bool("bidirectional"));
        Tensor out = batchFirst ? r.output().transpose(0, 1) : r.output();
        return c == null ? List.of(out, r.h()) : List.of(out, r.h(), r.c());
    }

    private static List<Object> pieces(List<Tensor> views) {
        List<Object> out = new ArrayList<>(views.size());
        for (Tensor v : views) out.add(v.clone());
        return out;
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



}

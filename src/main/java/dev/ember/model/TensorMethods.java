package dev.ember.model;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.List;

import static dev.ember.model.OpTable.method;

/** {@code torch.Tensor} methods as call_method nodes name them ({@code x.view(...)}, {@code x.size(0)}); {@code self} is the first argument. */
final class TensorMethods {
    private TensorMethods() {}

    static void register() {
        method("size", "Tensor self, int? dim=None", a -> a.get("dim") == null ? OpSupport.size(a.self()) : (Object) (long) a.self().size(a.intValue("dim")));
        method("dim", "Tensor self", a -> (long) a.self().dim());
        method("numel", "Tensor self", a -> (long) a.self().numel());
        method("view", "Tensor self, int... size", a -> a.self().view(a.ints("size")));
        method("reshape", "Tensor self, int... shape", a -> a.self().reshape(a.ints("shape")));
        method("view_as", "Tensor self, Tensor other", a -> a.self().viewAs(a.tensor("other")));
        method("reshape_as", "Tensor self, Tensor other", a -> a.self().reshapeAs(a.tensor("other")));
        method("expand", "Tensor self, int... size", a -> a.self().expand(a.ints("size")));
        method("expand_as", "Tensor self, Tensor other", a -> a.self().expandAs(a.tensor("other")));
        method("flatten", "Tensor self, int start_dim=0, int end_dim=-1", a -> a.self().flatten(a.intValue("start_dim"), a.intValue("end_dim")));
        method("permute", "Tensor self, int... dims", a -> a.self().permute(a.ints("dims")));
        method("transpose", "Tensor self, int dim0, int dim1", a -> a.self().transpose(a.intValue("dim0"), a.intValue("dim1")));
        method("t", "Tensor self", a -> a.self().t());
        method("unsqueeze", "Tensor self, int dim", a -> a.self().unsqueeze(a.intValue("dim")));
        method("squeeze", "Tensor self, Any dim=None", a -> TorchFunctions.squeeze(a.self(), a.get("dim")));
        method("t_", "Tensor self", a -> a.self().t_());
        method("transpose_", "Tensor self, int dim0, int dim1", a -> a.self().transpose_(a.intValue("dim0"), a.intValue("dim1")));
        method("swapdims_", "Tensor self, int dim0, int dim1", a -> a.self().swapdims_(a.intValue("dim0"), a.intValue("dim1")));
        method("swapaxes_", "Tensor self, int axis0, int axis1", a -> a.self().swapaxes_(a.intValue("axis0"), a.intValue("axis1")));
        method("unsqueeze_", "Tensor self, int dim", a -> a.self().unsqueeze_(a.intValue("dim")));
        method("squeeze_", "Tensor self, int? dim=None", a -> a.get("dim") == null ? a.self().squeeze_() : a.self().squeeze_(a.intValue("dim")));
        method("resize_", "Tensor self, int... size", a -> a.self().resize_(a.ints("size")));
        method("resize_as_", "Tensor self, Tensor the_template", a -> a.self().resizeAs_(a.tensor("the_template")));
        method("contiguous", "Tensor self, MemoryFormat? memory_format=None", a -> a.self().contiguous());
        method("clone", "Tensor self, *, MemoryFormat? memory_format=None", a -> a.self().clone(OpSupport.memoryFormat(a)));
        method("detach", "Tensor self", a -> a.self().detach());
        method("narrow", "Tensor self, int dim, int start, int length", a -> a.self().narrow(a.intValue("dim"), a.intValue("start"), a.intValue("length")));
        method("select", "Tensor self, int dim, int index", a -> a.self().select(a.intValue("dim"), a.intValue("index")));
        method("chunk", "Tensor self, int chunks, int dim=0", a -> OpSupport.list(a.self().chunk(a.intValue("chunks"), a.intValue("dim"))));
        method("split", "Tensor self, Any split_size, int dim=0", a -> OpSupport.split(a.self(), a.get("split_size"), a.intValue("dim")));
        method("unbind", "Tensor self, int dim=0", a -> OpSupport.list(a.self().unbind(a.intValue("dim"))));
        method("to", "Tensor self, Any... args, *, ScalarType? dtype=None, Device? device=None, bool non_blocking=False, bool copy=False, "
                + "MemoryFormat? memory_format=None", a -> OpSupport.to(a.self(), (List<?>) a.get("args"), a.get("dtype"), a.get("device")));
        method("type_as", "Tensor self, Tensor other", a -> a.self().to(a.tensor("other").dtype()));
        method("float", "Tensor self", a -> a.self().to(DType.FLOAT32));
        method("double", "Tensor self", a -> a.self().to(DType.FLOAT64));
        method("half", "Tensor self", a -> a.self().to(DType.FLOAT16));
        method("long", "Tensor self", a -> a.self().to(DType.INT64));
        method("int", "Tensor self", a -> a.self().to(DType.INT32));
        method("bool", "Tensor self", a -> a.self().to(DType.BOOL));
        method("mean", "Tensor self, Any dim=None, bool keepdim=False, *, ScalarType? dtype=None",
                a -> OpSupport.reduce(true, a.self(), a.get("dim"), a.bool("keepdim"), (DType) a.get("dtype"), "mean"));
        method("sum", "Tensor self, Any dim=None, bool keepdim=False, *, ScalarType? dtype=None",
                a -> OpSupport.reduce(false, a.self(), a.get("dim"), a.bool("keepdim"), (DType) a.get("dtype"), "sum"));
        method("max", "Tensor self, Any dim=None, bool keepdim=False", a -> OpSupport.max(a.self(), a.get("dim"), a.bool("keepdim"), false));
        method("min", "Tensor self, Any dim=None, bool keepdim=False", a -> OpSupport.max(a.self(), a.get("dim"), a.bool("keepdim"), true));
        method("softmax", "Tensor self, int dim, ScalarType? dtype=None", a -> OpSupport.withDtype(a).softmax(a.intValue("dim")));
        method("log_softmax", "Tensor self, int dim, ScalarType? dtype=None", a -> OpSupport.withDtype(a).logSoftmax(a.intValue("dim")));
        for (String op : List.of("add", "sub", "mul"))
            method(op, "Tensor self, Any other, *, Scalar? alpha=None", a -> OpSupport.arith(op, a.self(), a.get("other"), a.get("alpha")));
        method("div", "Tensor self, Any other, *, str? rounding_mode=None", a -> OpSupport.div(a.self(), a.get("other"), (String) a.get("rounding_mode")));
        method("add_", "Tensor self, Any other, *, Scalar? alpha=None", a -> OpSupport.inplace(a.self(), x -> OpSupport.arith("add", x, a.get("other"), a.get("alpha"))));
        method("mul_", "Tensor self, Any other", a -> OpSupport.inplace(a.self(), x -> OpSupport.arith("mul", x, a.get("other"), null)));
        method("matmul", "Tensor self, Tensor other", a -> a.self().matmul(a.tensor("other")));
        method("mm", "Tensor self, Tensor mat2", a -> a.self().mm(a.tensor("mat2")));
        method("bmm", "Tensor self, Tensor mat2", a -> a.self().bmm(a.tensor("mat2")));
        method("masked_fill", "Tensor self, Tensor mask, Any value", a -> OpSupport.maskedFill(a.self(), a.tensor("mask"), a.get("value")));
    }

}

package dev.ember.model;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.ember.model.OpTable.function;
import static dev.ember.model.OpTable.method;

/**
 * The engine's pointwise, comparison, reduction, sorting and indexing ops under the three spellings a graph may
 * record them in: {@code x.name(...)} (call_method), {@code torch.name(...)} (fx call_function) and
 * {@code aten.name.<overload>} (make_fx and torch.export). Each op is declared once here so the spellings cannot
 * drift apart.
 */
final class CommonOps {
    private CommonOps() {}

    static void register() {
        List<Unary> unary = List.of(
                new Unary("abs", Tensor::abs), new Unary("neg", Tensor::neg), new Unary("sign", Tensor::sign), new Unary("square", Tensor::square),
                new Unary("reciprocal", Tensor::reciprocal), new Unary("exp", Tensor::exp), new Unary("exp2", Tensor::exp2),
                new Unary("expm1", Tensor::expm1), new Unary("log", Tensor::log), new Unary("log2", Tensor::log2), new Unary("log10", Tensor::log10),
                new Unary("log1p", Tensor::log1p), new Unary("sqrt", Tensor::sqrt), new Unary("rsqrt", Tensor::rsqrt), new Unary("sin", Tensor::sin),
                new Unary("cos", Tensor::cos), new Unary("tan", Tensor::tan), new Unary("asin", Tensor::asin), new Unary("acos", Tensor::acos),
                new Unary("atan", Tensor::atan), new Unary("sinh", Tensor::sinh), new Unary("cosh", Tensor::cosh), new Unary("tanh", Tensor::tanh),
                new Unary("sigmoid", Tensor::sigmoid), new Unary("relu", Tensor::relu), new Unary("erf", Tensor::erf), new Unary("floor", Tensor::floor),
                new Unary("ceil", Tensor::ceil), new Unary("trunc", Tensor::trunc), new Unary("frac", Tensor::frac), new Unary("isnan", Tensor::isnan),
                new Unary("isinf", Tensor::isinf), new Unary("isfinite", Tensor::isfinite), new Unary("logical_not", Tensor::logicalNot),
                new Unary("bitwise_not", Tensor::bitwiseNot));
        for (Unary u : unary) {
            everywhere(u.name, "", "default", a -> u.fn.apply(a.self()));
            // in place: the result written back into self, which the graph then uses as the op's value
            if (!u.name.startsWith("is")) {
                method(u.name + "_", "Tensor self", a -> OpSupport.inplace(a.self(), x -> u.fn.apply((Tensor) x)));
                function("aten." + u.name + "_.default", "Tensor self", a -> OpSupport.inplace(a.self(), x -> u.fn.apply((Tensor) x)));
            }
        }
        function("torch.relu_", "Tensor input", a -> a.self().relu_());
        everywhere("round", ", *, int decimals=0", "decimals", a -> a.self().round(a.intValue("decimals")));
        function("aten.round.default", "Tensor self", a -> a.self().round());

        // binary: a tensor or a Python number on the right, as PyTorch's Tensor/Scalar overloads
        for (String cmp : List.of("eq", "ne", "lt", "le", "gt", "ge")) {
            binary(cmp, a -> Py.compare(cmp, a.self(), a.get("other")), "Tensor", "Scalar");
            aliases(cmp, switch (cmp) {
                case "ne" -> "not_equal";
                case "lt" -> "less";
                case "le" -> "less_equal";
                case "gt" -> "greater";
                case "ge" -> "greater_equal";
                default -> null;
            });
        }
        binary("maximum", a -> a.self().maximum(a.tensor("other")), "default");
        binary("minimum", a -> a.self().minimum(a.tensor("other")), "default");
        binary("atan2", a -> a.self().atan2(a.tensor("other")), "default");
        binary("logical_and", a -> a.self().logicalAnd(a.tensor("other")), "default");
        binary("logical_or", a -> a.self().logicalOr(a.tensor("other")), "default");
        binary("logical_xor", a -> a.self().logicalXor(a.tensor("other")), "default");
        for (String op : List.of("and", "or", "xor")) {
            String name = "bitwise_" + op;
            binary(name, a -> Py.bitwise(op, a.self(), a.get("other")), "Tensor", "Scalar");
            method(name + "_", "Tensor self, Any other", a -> OpSupport.inplace(a.self(), x -> Py.bitwise(op, x, a.get("other"))));
            for (String overload : List.of("Tensor", "Scalar"))
                function("aten." + name + "_." + overload, "Tensor self, Any other", a -> OpSupport.inplace(a.self(), x -> Py.bitwise(op, x, a.get("other"))));
        }
        everywhere("isclose", ", Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False", "default",
                a -> a.self().isclose(a.tensor("other"), a.doubleValue("rtol"), a.doubleValue("atol"), a.bool("equal_nan")));
        everywhere("allclose", ", Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False", "default",
                a -> a.self().allclose(a.tensor("other"), a.doubleValue("rtol"), a.doubleValue("atol"), a.bool("equal_nan")));
        everywhere("equal", ", Tensor other", "default", a -> a.self().equal(a.tensor("other")));
        binary("remainder", a -> Py.mod(a.self(), a.get("other")), "Tensor", "Scalar");
        binary("fmod", a -> a.get("other") instanceof Tensor t ? a.self().fmod(t) : a.self().fmod(Py.dbl(a.get("other"))), "Tensor", "Scalar");
        binary("floor_divide", a -> Py.floordiv(a.self(), a.get("other")), "default", "Scalar");
        function("torch.pow", "Any input, Any exponent", a -> Py.pow(a.get("input"), a.get("exponent")));
        for (String overload : List.of("Tensor_Tensor", "Scalar"))
            function("aten.pow." + overload, "Any self, Any exponent", a -> Py.pow(a.get("self"), a.get("exponent")));
        function("aten.pow.Tensor_Scalar", "Tensor self, Scalar exponent", a -> Py.pow(a.self(), a.get("exponent")));
        method("pow", "Tensor self, Any exponent", a -> Py.pow(a.self(), a.get("exponent")));
        everywhere("clamp_min", ", Any min", "default", a -> a.get("min") instanceof Tensor t ? a.self().maximum(t) : a.self().clampMin(Py.dbl(a.get("min"))));
        everywhere("clamp_max", ", Any max", "default", a -> a.get("max") instanceof Tensor t ? a.self().minimum(t) : a.self().clampMax(Py.dbl(a.get("max"))));
        function("torch.clamp", "Tensor input, Any min=None, Any max=None", a -> OpSupport.clamp(a.self(), a.get("min"), a.get("max")));
        OpTable.alias("torch.clip", "torch.clamp");
        method("clamp", "Tensor self, Any min=None, Any max=None", a -> OpSupport.clamp(a.self(), a.get("min"), a.get("max")));
        method("clip", "Tensor self, Any min=None, Any max=None", a -> OpSupport.clamp(a.self(), a.get("min"), a.get("max")));
        for (String op : List.of("clamp", "clip")) {
            function("aten." + op + ".default", "Tensor self, Scalar? min=None, Scalar? max=None", a -> OpSupport.clamp(a.self(), a.get("min"), a.get("max")));
            function("aten." + op + ".Tensor", "Tensor self, Tensor? min=None, Tensor? max=None", a -> OpSupport.clamp(a.self(), a.get("min"), a.get("max")));
        }
        method("where", "Tensor self, Tensor condition, Any other", a -> OpSupport.where(a.tensor("condition"), a.self(), a.get("other")));
        function("torch.where", "Tensor condition, Any input, Any other", a -> OpSupport.where(a.self(), a.get("input"), a.get("other")));
        function("aten.where.self", "Tensor condition, Tensor self, Tensor other", a -> Tensor.where(a.tensor("condition"), a.tensor("self"), a.tensor("other")));
        function("aten.where.ScalarOther", "Tensor condition, Tensor self, Scalar other", a -> OpSupport.where(a.self(), a.get("self"), a.get("other")));
        function("aten.where.ScalarSelf", "Tensor condition, Scalar self, Tensor other", a -> OpSupport.where(a.self(), a.get("self"), a.get("other")));

        // reductions
        String varSchema = ", Any dim=None, Any unbiased=None, bool keepdim=False, *, Any correction=None";
        everywhere("var", varSchema, null, a -> variance(a, "var"));
        everywhere("std", varSchema, null, a -> variance(a, "std"));
        // var_mean/std_mean are torch functions only (no Tensor methods), returning (spread, mean)
        for (String op : List.of("var_mean", "std_mean"))
            function("torch." + op, "Tensor input" + varSchema, a -> variance(a, op));
        for (String op : List.of("var", "std", "var_mean", "std_mean")) {
            function("aten." + op + ".correction", "Tensor self, int[]? dim=None, *, Scalar? correction=None, bool keepdim=False", a -> variance(a, op));
            function("aten." + op + ".dim", "Tensor self, int[]? dim, bool unbiased=True, bool keepdim=False", a -> variance(a, op));
            function("aten." + op + ".default", "Tensor self, bool unbiased=True", a -> variance(a, op));
        }
        everywhere("prod", ", int? dim=None, bool keepdim=False, *, ScalarType? dtype=None", "dim_int", a -> {
            Tensor x = OpSupport.withDtype(a);
            return a.get("dim") == null ? x.prod() : x.prod(a.intValue("dim"), a.bool("keepdim"));
        });
        function("aten.prod.default", "Tensor self, *, ScalarType? dtype=None", a -> OpSupport.withDtype(a).prod());
        everywhere("amax", ", Any dim=[], bool keepdim=False", "default", a -> a.self().amax(OpSupport.dimsOrAll(a.self(), a.get("dim"), "amax"), a.bool("keepdim")));
        everywhere("amin", ", Any dim=[], bool keepdim=False", "default", a -> a.self().amin(OpSupport.dimsOrAll(a.self(), a.get("dim"), "amin"), a.bool("keepdim")));
        everywhere("argmax", ", int? dim=None, bool keepdim=False", "default",
                a -> a.get("dim") == null ? a.self().argmax() : a.self().argmax(a.intValue("dim"), a.bool("keepdim")));
        everywhere("argmin", ", int? dim=None, bool keepdim=False", "default",
                a -> a.get("dim") == null ? a.self().argmin() : a.self().argmin(a.intValue("dim"), a.bool("keepdim")));
        everywhere("logsumexp", ", Any dim, bool keepdim=False", "default", a -> a.self().logsumexp(OpSupport.dims(a.get("dim"), "logsumexp"), a.bool("keepdim")));
        everywhere("norm", ", Any p='fro', Any dim=None, bool keepdim=False, *, ScalarType? dtype=None", null, CommonOps::norm);
        function("aten.linalg_vector_norm.default", "Tensor self, Scalar ord=2, int[]? dim=None, bool keepdim=False, *, ScalarType? dtype=None",
                a -> a.self().norm(Py.dbl(a.get("ord")), OpSupport.dimsOrAll(a.self(), a.get("dim"), "linalg_vector_norm"), a.bool("keepdim")));
        for (String op : List.of("all", "any")) {
            boolean all = op.equals("all");
            everywhere(op, ", int? dim=None, bool keepdim=False", "dim", a -> a.get("dim") == null ? (all ? a.self().all() : a.self().any())
                    : all ? a.self().all(a.intValue("dim"), a.bool("keepdim")) : a.self().any(a.intValue("dim"), a.bool("keepdim")));
            function("aten." + op + ".default", "Tensor self", a -> all ? a.self().all() : a.self().any());
        }
        everywhere("cumsum", ", int dim, *, ScalarType? dtype=None", "default", a -> a.get("dtype") == null ? a.self().cumsum(a.intValue("dim")) : a.self().cumsum(a.intValue("dim"), a.dtype("dtype")));
        everywhere("cumprod", ", int dim, *, ScalarType? dtype=None", "default", a -> a.get("dtype") == null ? a.self().cumprod(a.intValue("dim")) : a.self().cumprod(a.intValue("dim"), a.dtype("dtype")));

        // sorting and indexing
        everywhere("sort", ", int dim=-1, bool descending=False, *, bool? stable=None", "default",
                a -> OpSupport.pair(a.self().sort(a.intValue("dim"), a.bool("descending"), Boolean.TRUE.equals(a.get("stable")))));
        function("aten.sort.stable", "Tensor self, *, bool? stable, int dim=-1, bool descending=False",
                a -> OpSupport.pair(a.self().sort(a.intValue("dim"), a.bool("descending"), Boolean.TRUE.equals(a.get("stable")))));
        everywhere("argsort", ", int dim=-1, bool descending=False", "default", a -> a.self().argsort(a.intValue("dim"), a.bool("descending")));
        everywhere("topk", ", int k, int dim=-1, bool largest=True, bool sorted=True", "default",
                a -> OpSupport.pair(a.self().topk(a.intValue("k"), a.intValue("dim"), a.bool("largest"), a.bool("sorted"))));
        everywhere("gather", ", int dim, Tensor index, *, bool sparse_grad=False", "default", a -> a.self().gather(a.intValue("dim"), a.tensor("index")));
        everywhere("index_select", ", int dim, Tensor index", "default", a -> a.self().indexSelect(a.intValue("dim"), a.tensor("index")));
        function("torch.flip", "Tensor input, int[] dims", a -> a.self().flip(a.ints("dims")));
        function("aten.flip.default", "Tensor self, int[] dims", a -> a.self().flip(a.ints("dims")));
        method("flip", "Tensor self, int... dims", a -> a.self().flip(a.ints("dims")));
        everywhere("roll", ", int[] shifts, int[] dims=[]", "default", a -> a.self().roll(a.ints("shifts"), a.ints("dims")));
        function("torch.tile", "Tensor input, int[] dims", a -> a.self().tile(a.ints("dims")));
        method("tile", "Tensor self, int... dims", a -> a.self().tile(a.ints("dims")));
        function("aten.repeat.default", "Tensor self, int[] repeats", a -> a.self().repeat(a.ints("repeats")));
        method("repeat", "Tensor self, int... repeats", a -> a.self().repeat(a.ints("repeats")));
    }

    private record Unary(String name, UnaryOperator<Tensor> fn) {}

    /**
     * {@code x.name(rest)}, {@code torch.name(input, rest)} and, when {@code overload} is given,
     * {@code aten.name.overload(self, rest)}; {@code rest} is the schema after the tensor argument.
     */
    static void everywhere(String name, String rest, String overload, Op.Impl impl) {
        method(name, "Tensor self" + rest, impl);
        function("torch." + name, "Tensor input" + rest, impl);
        if (overload != null) function("aten." + name + "." + overload, "Tensor self" + rest, impl);
    }

    /** A binary op whose right operand may be a tensor or a Python number: method, torch function and the given aten overloads. */
    static void binary(String name, Op.Impl impl, String... overloads) {
        everywhere(name, ", Any other", null, impl);
        for (String o : overloads) function("aten." + name + "." + o, "Tensor self, Any other", impl);
    }

    /** torch's other names for an op ({@code torch.greater} is {@code torch.gt}). */
    private static void aliases(String name, String alias) {
        if (alias == null) return;
        OpTable.alias("torch." + alias, "torch." + name);
        method(alias, "Tensor self, Any other", a -> Py.compare(name, a.self(), a.get("other")));
    }

    /**
     * var/std (and var_mean/std_mean) in all of PyTorch's spellings: {@code (dim, unbiased, keepdim)},
     * {@code (dim, correction=, keepdim=)}, and the old {@code std(unbiased)} where the first argument is a bool.
     */
    private static Object variance(BoundArgs a, String op) {
        Tensor x = a.self();
        Object dim = a.get("dim");
        Object unbiased = a.has("unbiased") ? a.get("unbiased") : null;
        if (dim instanceof Boolean b) {
            unbiased = b;
            dim = null;
        }
        Object c = a.has("correction") ? a.get("correction") : null;
        if (c != null && unbiased != null) throw new IllegalArgumentException(op + "(): cannot specify both unbiased and correction");
        double correction = c != null ? Py.dbl(c) : Boolean.FALSE.equals(unbiased) ? 0 : 1;
        int[] dims = OpSupport.dimsOrAll(x, dim, op);
        boolean keepdim = a.has("keepdim") && a.bool("keepdim");
        return switch (op) {
            case "var" -> x.var(dims, correction, keepdim);
            case "std" -> x.std(dims, correction, keepdim);
            case "var_mean" -> OpSupport.list(x.varMean(dims, correction, keepdim));
            default -> OpSupport.list(x.stdMean(dims, correction, keepdim));
        };
    }

    /** {@code norm(p='fro', dim=None, keepdim=False)}: vector p-norms over the given dims ('fro' is the 2-norm). */
    private static Tensor norm(BoundArgs a) {
        Tensor x = OpSupport.withDtype(a);
        Object p = a.get("p");
        double order;
        if (p == null || "fro".equals(p)) order = 2;
        else if (p instanceof String s) throw new UnsupportedOperationException("Ember: norm with p='" + s + "' is not implemented yet");
        else order = Py.dbl(p);
        return x.norm(order, OpSupport.dimsOrAll(x, a.get("dim"), "norm"), a.bool("keepdim"));
    }
}

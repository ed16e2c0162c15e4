package dev.ember.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.testing.Kw;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The steps of the fuzz programs of tools/fixtures/fx_programs.py, through Ember's public API: one entry per entry
 * of the table PY in tools/fixtures/program_ops.py, with the same operands and keyword arguments. A Python int
 * argument (a JSON integer) calls the {@code long} overload and a Python float the {@code double} one, as a user
 * translating the line would.
 */
final class ProgramSteps {
    private ProgramSteps() {}

    /** Runs op {@code op} on operands {@code a}; returns a Tensor, a List of tensors or ValuesIndices. */
    static Object run(String op, Tensor[] a, Kw k) {
        BiFunction<Tensor[], Kw, Object> f = OPS.get(op);
        if (f == null) throw new IllegalArgumentException("ProgramSteps has no op " + op + " (program_ops.PY has it)");
        return f.apply(a, k);
    }

    private static final Map<String, BiFunction<Tensor[], Kw, Object>> OPS = new java.util.HashMap<>();

    static void op(String name, BiFunction<Tensor[], Kw, Object> f) { OPS.put(name, f); }

    private static void unary(String name, UnaryOperator<Tensor> f) { OPS.put(name, (a, k) -> f.apply(a[0])); }

    static {
        op("view", (a, k) -> a[0].view(k.ints("shape")));
        op("reshape", (a, k) -> a[0].reshape(k.ints("shape")));
        op("permute", (a, k) -> a[0].permute(k.ints("dims")));
        op("transpose", (a, k) -> a[0].transpose(k.i("d0"), k.i("d1")));
        unary("t", Tensor::t);
        unary("squeeze_all", Tensor::squeeze);
        op("squeeze", (a, k) -> a[0].squeeze(k.i("dim")));
        op("unsqueeze", (a, k) -> a[0].unsqueeze(k.i("dim")));
        unary("t_", Tensor::t_);
        op("transpose_", (a, k) -> a[0].transpose_(k.i("d0"), k.i("d1")));
        unary("squeeze_all_", Tensor::squeeze_);
        op("squeeze_", (a, k) -> a[0].squeeze_(k.i("dim")));
        op("unsqueeze_", (a, k) -> a[0].unsqueeze_(k.i("dim")));
        op("flatten", (a, k) -> a[0].flatten(k.i("start"), k.i("end")));
        op("narrow", (a, k) -> a[0].narrow(k.i("dim"), k.i("start"), k.i("length")));
        op("expand", (a, k) -> a[0].expand(k.ints("shape")));
        op("index", (a, k) -> a[0].index(index(k.node().get("idx"), a, 1)));
        op("to", (a, k) -> a[0].to(dtype(k.s("dtype"))));
        unary("contiguous", Tensor::contiguous);
        unary("clone", Tensor::clone);
        unary("detach", Tensor::detach);

        op("add", (a, k) -> a[0].add(a[1]));
        op("sub", (a, k) -> a[0].sub(a[1]));
        op("mul", (a, k) -> a[0].mul(a[1]));
        op("div", (a, k) -> a[0].div(a[1]));
        op("pow", (a, k) -> a[0].pow(a[1]));
        op("maximum", (a, k) -> a[0].maximum(a[1]));
        op("minimum", (a, k) -> a[0].minimum(a[1]));
        op("eq", (a, k) -> a[0].eq(a[1]));
        op("ne", (a, k) -> a[0].ne(a[1]));
        op("gt", (a, k) -> a[0].gt(a[1]));
        op("ge", (a, k) -> a[0].ge(a[1]));
        op("lt", (a, k) -> a[0].lt(a[1]));
        op("le", (a, k) -> a[0].le(a[1]));
        op("add_s", (a, k) -> k.isInt("s") ? a[0].add(k.l("s")) : a[0].add(k.d("s")));
        op("sub_s", (a, k) -> k.isInt("s") ? a[0].sub(k.l("s")) : a[0].sub(k.d("s")));
        op("mul_s", (a, k) -> k.isInt("s") ? a[0].mul(k.l("s")) : a[0].mul(k.d("s")));
        op("div_s", (a, k) -> a[0].div(k.d("s")));
        op("pow_s", (a, k) -> k.isInt("s") ? a[0].pow(k.l("s")) : a[0].pow(k.d("s")));
        op("eq_s", (a, k) -> k.isInt("s") ? a[0].eq(k.l("s")) : a[0].eq(k.d("s")));
        op("ne_s", (a, k) -> k.isInt("s") ? a[0].ne(k.l("s")) : a[0].ne(k.d("s")));
        op("gt_s", (a, k) -> k.isInt("s") ? a[0].gt(k.l("s")) : a[0].gt(k.d("s")));
        op("ge_s", (a, k) -> k.isInt("s") ? a[0].ge(k.l("s")) : a[0].ge(k.d("s")));
        op("lt_s", (a, k) -> k.isInt("s") ? a[0].lt(k.l("s")) : a[0].lt(k.d("s")));
        op("le_s", (a, k) -> k.isInt("s") ? a[0].le(k.l("s")) : a[0].le(k.d("s")));
        op("rpow_s", (a, k) -> k.isInt("s") ? Tensor.pow(k.l("s"), a[0]) : Tensor.pow(k.d("s"), a[0]));
        op("add_alpha", (a, k) -> k.isInt("alpha") ? a[0].add(a[1], k.l("alpha")) : a[0].add(a[1], k.d("alpha")));
        op("div_mode", (a, k) -> a[0].div(a[1], k.s("mode")));

        unary("neg", Tensor::neg);
        unary("abs", Tensor::abs);
        unary("exp", Tensor::exp);
        unary("log", Tensor::log);
        unary("sqrt", Tensor::sqrt);
        unary("rsqrt", Tensor::rsqrt);
        unary("sin", Tensor::sin);
        unary("cos", Tensor::cos);
        unary("tanh", Tensor::tanh);
        unary("sigmoid", Tensor::sigmoid);
        unary("relu", Tensor::relu);
        unary("sign", Tensor::sign);
        unary("floor", Tensor::floor);
        unary("ceil", Tensor::ceil);
        unary("round", Tensor::round);
        unary("isnan", Tensor::isnan);
        unary("isinf", Tensor::isinf);
        op("clamp", (a, k) -> clamp(a[0], k, false));

        unary("sum_all", Tensor::sum);
        unary("mean_all", Tensor::mean);
        unary("prod_all", Tensor::prod);
        unary("max_all", Tensor::max);
        unary("min_all", Tensor::min);
        unary("argmax_all", Tensor::argmax);
        unary("all_all", Tensor::all);
        unary("any_all", Tensor::any);
        op("sum", (a, k) -> a[0].sum(k.ints("dims"), k.b("keepdim")));
        op("mean", (a, k) -> a[0].mean(k.ints("dims"), k.b("keepdim")));
        op("prod", (a, k) -> a[0].prod(k.i("dim"), k.b("keepdim")));
        op("max_dim", (a, k) -> a[0].max(k.i("dim"), k.b("keepdim")));
        op("min_dim", (a, k) -> a[0].min(k.i("dim"), k.b("keepdim")));
        op("amax", (a, k) -> a[0].amax(k.ints("dims"), k.b("keepdim")));
        op("argmax", (a, k) -> a[0].argmax(k.i("dim"), k.b("keepdim")));
        op("argmin", (a, k) -> a[0].argmin(k.i("dim"), k.b("keepdim")));
        op("var", (a, k) -> a[0].var(k.ints("dims"), k.d("correction"), k.b("keepdim")));
        op("std", (a, k) -> a[0].std(k.ints("dims"), k.d("correction"), k.b("keepdim")));
        op("norm", (a, k) -> a[0].norm(k.d("p"), k.ints("dims"), k.b("keepdim")));
        op("logsumexp", (a, k) -> a[0].logsumexp(k.ints("dims"), k.b("keepdim")));
        op("all", (a, k) -> a[0].all(k.i("dim"), k.b("keepdim")));
        op("any", (a, k) -> a[0].any(k.i("dim"), k.b("keepdim")));
        op("softmax", (a, k) -> a[0].softmax(k.i("dim")));
        op("log_softmax", (a, k) -> a[0].logSoftmax(k.i("dim")));
        op("cumsum", (a, k) -> a[0].cumsum(k.i("dim")));

        op("matmul", (a, k) -> a[0].matmul(a[1]));
        op("mm", (a, k) -> a[0].mm(a[1]));
        op("bmm", (a, k) -> a[0].bmm(a[1]));
        op("mv", (a, k) -> a[0].mv(a[1]));
        op("dot", (a, k) -> a[0].dot(a[1]));
        op("outer", (a, k) -> a[0].outer(a[1]));
        op("addmm", (a, k) -> k.isInt("beta") ? Tensor.addmm(a[0], a[1], a[2], k.l("beta"), k.d("alpha")) : Tensor.addmm(a[0], a[1], a[2], k.d("beta"), k.d("alpha")));

        op("cat", (a, k) -> Tensor.cat(Arrays.asList(a), k.i("dim")));
        op("stack", (a, k) -> Tensor.stack(Arrays.asList(a), k.i("dim")));
        op("split", (a, k) -> a[0].split(k.i("size"), k.i("dim")));
        op("chunk", (a, k) -> a[0].chunk(k.i("chunks"), k.i("dim")));
        op("gather", (a, k) -> a[0].gather(k.i("dim"), a[1]));
        op("scatter", (a, k) -> a[0].scatter(k.i("dim"), a[1], a[2]));
        op("scatter_s", (a, k) -> k.isInt("s") ? a[0].scatter(k.i("dim"), a[1], k.l("s")) : a[0].scatter(k.i("dim"), a[1], k.d("s")));
        op("scatter_add", (a, k) -> a[0].scatterAdd(k.i("dim"), a[1], a[2]));
        op("index_select", (a, k) -> a[0].indexSelect(k.i("dim"), a[1]));
        op("masked_fill", (a, k) -> k.isInt("s") ? a[0].maskedFill(a[1], k.l("s")) : a[0].maskedFill(a[1], k.d("s")));
        op("masked_fill_t", (a, k) -> a[0].maskedFill(a[1], a[2]));
        op("where", (a, k) -> Tensor.where(a[0], a[1], a[2]));
        op("where_s", (a, k) -> k.isInt("s") ? Tensor.where(a[0], a[1], k.l("s")) : Tensor.where(a[0], a[1], k.d("s")));
        op("sort", (a, k) -> a[0].sort(k.i("dim"), k.b("descending"), k.b("stable")));
        op("argsort", (a, k) -> a[0].argsort(k.i("dim"), k.b("descending")));
        op("topk", (a, k) -> a[0].topk(k.i("k"), k.i("dim"), k.b("largest"), k.b("sorted")));

        op("add_", (a, k) -> a[0].add_(a[1]));
        op("sub_", (a, k) -> a[0].sub_(a[1]));
        op("mul_", (a, k) -> a[0].mul_(a[1]));
        op("div_", (a, k) -> a[0].div_(a[1]));
        op("copy_", (a, k) -> a[0].copy_(a[1]));
        op("add_s_", (a, k) -> k.isInt("s") ? a[0].add_(k.l("s")) : a[0].add_(k.d("s")));
        op("sub_s_", (a, k) -> k.isInt("s") ? a[0].sub_(k.l("s")) : a[0].sub_(k.d("s")));
        op("mul_s_", (a, k) -> k.isInt("s") ? a[0].mul_(k.l("s")) : a[0].mul_(k.d("s")));
        op("div_s_", (a, k) -> a[0].div_(k.d("s")));
        unary("neg_", Tensor::neg_);
        unary("abs_", Tensor::abs_);
        unary("exp_", Tensor::exp_);
        unary("log_", Tensor::log_);
        unary("sqrt_", Tensor::sqrt_);
        unary("sigmoid_", Tensor::sigmoid_);
        unary("tanh_", Tensor::tanh_);
        unary("relu_", Tensor::relu_);
        unary("floor_", Tensor::floor_);
        unary("round_", Tensor::round_);
        unary("zero_", Tensor::zero_);
        op("clamp_", (a, k) -> clamp(a[0], k, true));
        op("fill_", (a, k) -> k.isInt("s") ? a[0].fill_(k.l("s")) : a[0].fill_(k.d("s")));
        op("masked_fill_", (a, k) -> k.isInt("s") ? a[0].maskedFill_(a[1], k.l("s")) : a[0].maskedFill_(a[1], k.d("s")));
        op("scatter_", (a, k) -> a[0].scatter_(k.i("dim"), a[1], a[2]));
        op("scatter_add_", (a, k) -> a[0].scatterAdd_(k.i("dim"), a[1], a[2]));
        op("setitem", (a, k) -> {
            JsonNode idx = k.node().get("idx");
            if (k.has("s")) return k.isInt("s") ? a[0].indexPut_(index(idx, a, 1), k.l("s")) : a[0].indexPut_(index(idx, a, 1), k.d("s"));
            return a[0].indexPut_(index(idx, Arrays.copyOf(a, a.length - 1), 1), a[a.length - 1]);
        });
    }

    static {
        op("median", (a, k) -> a[0].median());
        op("nanmedian", (a, k) -> a[0].nanmedian());
        op("median_dim", (a, k) -> a[0].median(k.i("dim"), k.b("keepdim")));
        op("nanmedian_dim", (a, k) -> a[0].nanmedian(k.i("dim"), k.b("keepdim")));
        op("kthvalue", (a, k) -> a[0].kthvalue(k.i("k"), k.i("dim"), k.b("keepdim")));
        op("mode", (a, k) -> a[0].mode(k.i("dim"), k.b("keepdim")));
        op("cummax", (a, k) -> a[0].cummax(k.i("dim")));
        op("cummin", (a, k) -> a[0].cummin(k.i("dim")));
        op("logcumsumexp", (a, k) -> a[0].logcumsumexp(k.i("dim")));
        op("nansum", (a, k) -> a[0].nansum(k.ints("dims"), k.b("keepdim"), null));
        op("nanmean", (a, k) -> a[0].nanmean(k.ints("dims"), k.b("keepdim")));
        op("var_mean", (a, k) -> a[0].varMean(k.ints("dims"), k.d("correction"), k.b("keepdim")));
        op("std_mean", (a, k) -> a[0].stdMean(k.ints("dims"), k.d("correction"), k.b("keepdim")));
        op("count_nonzero", (a, k) -> k.has("dims") ? a[0].countNonzero(k.ints("dims")) : a[0].countNonzero());
        op("unique", (a, k) -> (k.has("dim") ? a[0].unique(k.b("sorted"), k.b("inverse"), k.b("counts"), k.i("dim"))
                : a[0].unique(k.b("sorted"), k.b("inverse"), k.b("counts"))).tensors());
        op("unique_consecutive", (a, k) -> (k.has("dim") ? a[0].uniqueConsecutive(k.b("inverse"), k.b("counts"), k.i("dim"))
                : a[0].uniqueConsecutive(k.b("inverse"), k.b("counts"))).tensors());

        op("scatter_reduce", (a, k) -> a[0].scatterReduce(k.i("dim"), a[1], a[2], k.s("reduce"), k.b("self")));
        op("scatter_reduce_", (a, k) -> a[0].scatterReduce_(k.i("dim"), a[1], a[2], k.s("reduce"), k.b("self")));
        op("scatter_r", (a, k) -> a[0].scatter(k.i("dim"), a[1], a[2], k.s("reduce")));
        op("scatter_r_", (a, k) -> a[0].scatter_(k.i("dim"), a[1], a[2], k.s("reduce")));
        op("scatter_s_r", (a, k) -> k.isInt("s") ? a[0].scatter(k.i("dim"), a[1], k.l("s"), k.s("reduce")) : a[0].scatter(k.i("dim"), a[1], k.d("s"), k.s("reduce")));
        op("index_copy", (a, k) -> a[0].indexCopy(k.i("dim"), a[1], a[2]));
        op("index_copy_", (a, k) -> a[0].indexCopy_(k.i("dim"), a[1], a[2]));
        op("index_fill", (a, k) -> k.isInt("s") ? a[0].indexFill(k.i("dim"), a[1], k.l("s")) : a[0].indexFill(k.i("dim"), a[1], k.d("s")));
        op("index_fill_", (a, k) -> k.isInt("s") ? a[0].indexFill_(k.i("dim"), a[1], k.l("s")) : a[0].indexFill_(k.i("dim"), a[1], k.d("s")));
        op("index_fill_t", (a, k) -> a[0].indexFill(k.i("dim"), a[1], a[2]));

        op("einsum", (a, k) -> Tensor.einsum(k.s("eq"), a));
        op("tensordot", (a, k) -> k.node().get("dims").isArray()
                ? Tensor.tensordot(a[0], a[1], ProgramFuzzTest.ints(k.node().get("dims").get(0)), ProgramFuzzTest.ints(k.node().get("dims").get(1)))
                : Tensor.tensordot(a[0], a[1], k.i("dims")));
        op("cross", (a, k) -> a[0].cross(a[1], k.has("dim") ? k.i("dim") : null));
        op("baddbmm", (a, k) -> k.isInt("beta") ? Tensor.baddbmm(a[0], a[1], a[2], k.l("beta"), k.d("alpha")) : Tensor.baddbmm(a[0], a[1], a[2], k.d("beta"), k.d("alpha")));
        op("addbmm", (a, k) -> k.isInt("beta") ? Tensor.addbmm(a[0], a[1], a[2], k.l("beta"), k.d("alpha")) : Tensor.addbmm(a[0], a[1], a[2], k.d("beta"), k.d("alpha")));
        op("addmv", (a, k) -> k.isInt("beta") ? Tensor.addmv(a[0], a[1], a[2], k.l("beta"), k.d("alpha")) : Tensor.addmv(a[0], a[1], a[2], k.d("beta"), k.d("alpha")));

        op("diagonal", (a, k) -> a[0].diagonal(k.i("offset"), k.i("d1"), k.i("d2")));
        op("diag", (a, k) -> a[0].diag(k.i("diagonal")));
        unary("trace", Tensor::trace);
        op("triu", (a, k) -> a[0].triu(k.i("diagonal")));
        op("tril", (a, k) -> a[0].tril(k.i("diagonal")));
        op("triu_", (a, k) -> a[0].triu_(k.i("diagonal")));
        op("tril_", (a, k) -> a[0].tril_(k.i("diagonal")));
        op("swapaxes", (a, k) -> a[0].swapaxes(k.i("d0"), k.i("d1")));
        op("moveaxis", (a, k) -> a[0].moveaxis(k.i("src"), k.i("dst")));
        op("unfold", (a, k) -> a[0].unfold(k.i("dim"), k.i("size"), k.i("step")));
        op("repeat_interleave", (a, k) -> a[0].repeatInterleave(k.l("repeats"), k.has("dim") ? k.i("dim") : null));
        op("repeat_interleave_t", (a, k) -> a[0].repeatInterleave(a[1], k.has("dim") ? k.i("dim") : null));
        op("meshgrid", (a, k) -> Tensor.meshgrid(k.s("indexing"), a));

        op("searchsorted", (a, k) -> a[0].searchsorted(a[1], k.b("right"), k.b("int32")));
        op("bucketize", (a, k) -> a[0].bucketize(a[1], k.b("right")));
        op("bincount", (a, k) -> a[0].bincount(null, k.i("minlength")));
        op("bincount_w", (a, k) -> a[0].bincount(a[1], k.i("minlength")));
        op("histc", (a, k) -> a[0].histc(k.i("bins"), k.d("min"), k.d("max")));
        op("isclose", (a, k) -> a[0].isclose(a[1], k.d("rtol"), k.d("atol"), k.b("equal_nan")));
        op("bitwise_and", (a, k) -> a[0].bitwiseAnd(a[1]));
        op("bitwise_or", (a, k) -> a[0].bitwiseOr(a[1]));
        op("bitwise_xor", (a, k) -> a[0].bitwiseXor(a[1]));
        op("bitwise_and_", (a, k) -> a[0].bitwiseAnd_(a[1]));
        op("bitwise_or_", (a, k) -> a[0].bitwiseOr_(a[1]));
        op("bitwise_xor_", (a, k) -> a[0].bitwiseXor_(a[1]));
        op("bitwise_and_s", (a, k) -> a[0].bitwiseAnd(k.l("s")));
        op("bitwise_or_s", (a, k) -> a[0].bitwiseOr(k.l("s")));
        op("bitwise_xor_s", (a, k) -> a[0].bitwiseXor(k.l("s")));
        op("bitwise_and_s_", (a, k) -> a[0].bitwiseAnd_(k.l("s")));
        op("bitwise_or_s_", (a, k) -> a[0].bitwiseOr_(k.l("s")));
        op("bitwise_xor_s_", (a, k) -> a[0].bitwiseXor_(k.l("s")));
        unary("bitwise_not", Tensor::bitwiseNot);
        unary("bitwise_not_", Tensor::bitwiseNot_);
        ProgramStepsMore.register();
        ProgramStepsMath.register();
        ProgramStepsIndex.register();
    }

    /** clamp(min, max) with Python numbers: two ints call the integral overload, anything else the Double one. */
    private static Tensor clamp(Tensor x, Kw k, boolean inPlace) {
        boolean ints = k.has("min") && k.has("max") && k.isInt("min") && k.isInt("max");
        if (ints) return inPlace ? x.clamp_(k.l("min"), k.l("max")) : x.clamp(k.l("min"), k.l("max"));
        Double lo = k.has("min") ? k.d("min") : null, hi = k.has("max") ? k.d("max") : null;
        return inPlace ? x.clamp_(lo, hi) : x.clamp(lo, hi);
    }

    /** The index objects of an "index"/"setitem" step; "t" items take operands a[first], a[first + 1], ... */
    private static Object[] index(JsonNode spec, Tensor[] a, int first) {
        List<Object> out = new ArrayList<>();
        int next = first;
        for (JsonNode item : spec) {
            out.add(switch (item.get(0).asText()) {
                case "s" -> Idx.slice(integer(item.get(1)), integer(item.get(2)), integer(item.get(3)));
                case "i" -> item.get(1).asInt();
                case "n" -> Idx.none();
                case "e" -> Idx.ellipsis();
                case "t" -> a[next++];
                default -> throw new IllegalArgumentException("unknown index item " + item);
            });
        }
        return out.toArray();
    }

    private static Integer integer(JsonNode n) { return n == null || n.isNull() ? null : n.asInt(); }

    static DType dtype(String name) {
        for (DType d : DType.values()) if (d.name().equalsIgnoreCase(name)) return d;
        throw new IllegalArgumentException("unknown dtype " + name);
    }
}

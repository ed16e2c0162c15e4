package dev.ember.model;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.ember.model.CommonOps.everywhere;
import static dev.ember.model.OpTable.function;
import static dev.ember.model.OpTable.method;

/**
 * Order statistics, running extremes, distinct values, NaN-ignoring reductions and binning, in their method, torch
 * and ATen spellings. The ATen forms that return several tensors always return all of them (as make_fx records
 * {@code aten._unique2} with three outputs even when two were not asked for); the Python forms return what the
 * call asked for, as {@code torch.unique} does.
 */
final class StatisticsOps {
    private StatisticsOps() {}

    static void register() {
        for (String op : List.of("median", "nanmedian")) {
            boolean nan = op.startsWith("nan");
            everywhere(op, ", int? dim=None, bool keepdim=False", null, a -> a.get("dim") == null ? median(a.self(), nan)
                    : OpSupport.pair(nan ? a.self().nanmedian(a.intValue("dim"), a.bool("keepdim")) : a.self().median(a.intValue("dim"), a.bool("keepdim"))));
            function("aten." + op + ".default", "Tensor self", a -> median(a.self(), nan));
            function("aten." + op + ".dim", "Tensor self, int dim, bool keepdim=False", a -> OpSupport.pair(nan ? a.self().nanmedian(a.intValue("dim"), a.bool("keepdim"))
                    : a.self().median(a.intValue("dim"), a.bool("keepdim"))));
        }
        everywhere("kthvalue", ", int k, int dim=-1, bool keepdim=False", "default",
                a -> OpSupport.pair(a.self().kthvalue(a.intValue("k"), a.intValue("dim"), a.bool("keepdim"))));
        everywhere("mode", ", int dim=-1, bool keepdim=False", "default", a -> OpSupport.pair(a.self().mode(a.intValue("dim"), a.bool("keepdim"))));
        everywhere("cummax", ", int dim", "default", a -> OpSupport.pair(a.self().cummax(a.intValue("dim"))));
        everywhere("cummin", ", int dim", "default", a -> OpSupport.pair(a.self().cummin(a.intValue("dim"))));
        everywhere("logcumsumexp", ", int dim", "default", a -> a.self().logcumsumexp(a.intValue("dim")));

        // distinct values
        everywhere("unique", ", bool sorted=True, bool return_inverse=False, bool return_counts=False, int? dim=None", null, a -> {
            boolean inverse = a.bool("return_inverse"), counts = a.bool("return_counts");
            Tensor.Unique u = a.get("dim") == null ? a.self().unique(a.bool("sorted"), inverse, counts)
                    : a.self().unique(a.bool("sorted"), inverse, counts, a.intValue("dim"));
            return asked(u, inverse, counts);
        });
        everywhere("unique_consecutive", ", bool return_inverse=False, bool return_counts=False, int? dim=None", null, a -> {
            boolean inverse = a.bool("return_inverse"), counts = a.bool("return_counts");
            return asked(uniqueConsecutive(a, inverse, counts), inverse, counts);
        });
        // ATen's _unique2 fills the inverse whenever inverse or counts are asked for (it computes counts from it)
        function("aten._unique2.default", "Tensor self, bool sorted=True, bool return_inverse=False, bool return_counts=False",
                a -> all(a.self().unique(a.bool("sorted"), a.bool("return_inverse") || a.bool("return_counts"), a.bool("return_counts")), true));
        function("aten._unique.default", "Tensor self, bool sorted=True, bool return_inverse=False",
                a -> all(a.self().unique(a.bool("sorted"), a.bool("return_inverse"), false), false));
        function("aten.unique_consecutive.default", "Tensor self, bool return_inverse=False, bool return_counts=False, int? dim=None", a -> {
            // with a dim ATen runs unique_dim_consecutive, which fills every output
            boolean dim = a.get("dim") != null;
            return all(uniqueConsecutive(a, dim || a.bool("return_inverse"), dim || a.bool("return_counts")), true);
        });
        // unique over slices always computes the inverse and the counts, whatever was asked for
        function("aten.unique_dim.default", "Tensor self, int dim, bool sorted=True, bool return_inverse=False, bool return_counts=False",
                a -> all(a.self().unique(a.bool("sorted"), true, true, a.intValue("dim")), true));
        function("aten.unique_dim_consecutive.default", "Tensor self, int dim, bool return_inverse=False, bool return_counts=False",
                a -> all(a.self().uniqueConsecutive(true, true, a.intValue("dim")), true));

        // reductions that skip NaN, counts
        everywhere("nansum", ", Any dim=None, bool keepdim=False, *, ScalarType? dtype=None", "default",
                a -> a.self().nansum(OpSupport.dimsOrAll(a.self(), a.get("dim"), "nansum"), a.bool("keepdim"), (DType) a.get("dtype")));
        everywhere("nanmean", ", Any dim=None, bool keepdim=False, *, ScalarType? dtype=None", "default",
                a -> OpSupport.withDtype(a).nanmean(OpSupport.dimsOrAll(a.self(), a.get("dim"), "nanmean"), a.bool("keepdim")));
        everywhere("count_nonzero", ", Any dim=None", "default", a -> countNonzero(a));
        function("aten.count_nonzero.dim_IntList", "Tensor self, int[] dim", a -> countNonzero(a));

        // binning
        String search = ", *, bool out_int32=False, bool right=False, str? side=None, Tensor? sorter=None";
        function("torch.searchsorted", "Tensor sorted_sequence, Any input" + search, a -> searchsorted(a, "input"));
        for (String overload : List.of("Tensor", "Scalar"))
            function("aten.searchsorted." + overload, "Tensor sorted_sequence, Any self" + search, a -> searchsorted(a, "self"));
        String bucket = ", Tensor boundaries, *, bool out_int32=False, bool right=False";
        function("torch.bucketize", "Any input" + bucket, a -> bucketize(a, "input"));
        for (String overload : List.of("Tensor", "Scalar")) function("aten.bucketize." + overload, "Any self" + bucket, a -> bucketize(a, "self"));
        everywhere("bincount", ", Tensor? weights=None, int minlength=0", "default", a -> a.self().bincount((Tensor) a.get("weights"), a.intValue("minlength")));
        everywhere("histc", ", int bins=100, Scalar min=0, Scalar max=0", "default",
                a -> a.self().histc(a.intValue("bins"), Py.dbl(a.get("min")), Py.dbl(a.get("max"))));
    }

    private static Tensor median(Tensor x, boolean nan) { return nan ? x.nanmedian() : x.median(); }

    private static Tensor.Unique uniqueConsecutive(BoundArgs a, boolean inverse, boolean counts) {
        return a.get("dim") == null ? a.self().uniqueConsecutive(inverse, counts) : a.self().uniqueConsecutive(inverse, counts, a.intValue("dim"));
    }

    /** {@code torch.unique}'s result: the values alone, or a tuple with the inverse and the counts that were asked for. */
    private static Object asked(Tensor.Unique u, boolean inverse, boolean counts) {
        if (!inverse && !counts) return u.values();
        List<Object> out = new ArrayList<>(List.of(u.values()));
        if (inverse) out.add(u.inverseIndices());
        if (counts) out.add(u.counts());
        return out;
    }

    /** The ATen result: every slot filled, an output that was not asked for being an empty int64 tensor as ATen gives it. */
    private static List<Object> all(Tensor.Unique u, boolean withCounts) {
        Tensor none = Tensor.fromArray(new long[0], 0).to(u.values().device());
        List<Object> out = new ArrayList<>(List.of(u.values(), u.inverseIndices() == null ? none : u.inverseIndices()));
        if (withCounts) out.add(u.counts() == null ? none : u.counts());
        return out;
    }

    private static Tensor countNonzero(BoundArgs a) {
        int[] dims = OpSupport.dims(a.get("dim"), "count_nonzero");
        return dims == null ? a.self().countNonzero() : a.self().countNonzero(dims);
    }

    /** A Python number where a tensor may stand ({@code searchsorted(seq, 0.5)}): a 0-dim tensor of its kind. */
    private static Tensor tensorOrScalar(Object v) {
        if (v instanceof Tensor t) return t;
        if (v instanceof Long l) return Tensor.scalar(l, DType.INT64);
        return Tensor.scalar(Py.dbl(v), DType.FLOAT64);
    }

    private static Tensor searchsorted(BoundArgs a, String valuesArg) {
        String side = (String) a.get("side");
        boolean right = a.bool("right");
        if (side != null && !side.equals("left") && !side.equals("right"))
            throw new IllegalArgumentException("torch.searchsorted(): side can only be 'left' or 'right' but got " + side);
        if ("left".equals(side) && right)
            throw new IllegalArgumentException("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
        Tensor seq = a.tensor("sorted_sequence");
        // with a sorter the sequence is read in sorted order, and the answers are positions in that order
        if (a.get("sorter") != null) seq = seq.gather(seq.dim() - 1, a.tensor("sorter"));
        return seq.searchsorted(tensorOrScalar(a.get(valuesArg)), right || "right".equals(side), a.bool("out_int32"));
    }

    private static Tensor bucketize(BoundArgs a, String inputArg) {
        Tensor r = tensorOrScalar(a.get(inputArg)).bucketize(a.tensor("boundaries"), a.bool("right"));
        return a.bool("out_int32") ? r.to(DType.INT32) : r;
    }
}

package dev.ember.tensor;

import dev.ember.autograd.GradMode;
import dev.ember.autograd.InferenceMode;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.OpCases.checkingLayout;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Tensor API a translated tutorial still needed (the in-place logical ops, dist, renorm, igamma/igammac) against
 * PyTorch fixtures (tools/fixtures/fx_more_api.py): values, dtypes, strides, grad_fn names, gradients and errors.
 */
class MoreApiTest {

    @TestFactory
    Stream<DynamicTest> moreApi() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("logical_and_", checkingLayout((x, k) -> x[0].clone().logicalAnd_(x[1]))),
                entry("logical_or_", checkingLayout((x, k) -> x[0].clone().logicalOr_(x[1]))),
                entry("logical_xor_", checkingLayout((x, k) -> x[0].clone().logicalXor_(x[1]))),
                entry("logical_not_", checkingLayout((x, k) -> x[0].clone().logicalNot_())),
                entry("dist", checkingLayout((x, k) -> x[0].dist(x[1], p(k)))),
                entry("dist_default", checkingLayout((x, k) -> x[0].dist(x[1]))),
                entry("renorm", checkingLayout((x, k) -> x[0].renorm(p(k), k.i("dim"), k.d("maxnorm")))),
                entry("renorm_", checkingLayout((x, k) -> x[0].clone().renorm_(p(k), k.i("dim"), k.d("maxnorm")))),
                entry("igamma", checkingLayout((x, k) -> x[0].igamma(x[1]))),
                entry("igammac", checkingLayout((x, k) -> x[0].igammac(x[1]))),
                entry("special_gammainc", checkingLayout((x, k) -> x[0].specialGammainc(x[1]))),
                entry("special_gammaincc", checkingLayout((x, k) -> x[0].specialGammaincc(x[1]))),
                entry("igamma_", checkingLayout((x, k) -> x[0].clone().igamma_(x[1]))),
                entry("igammac_", checkingLayout((x, k) -> x[0].clone().igammac_(x[1]))),
                entry("hypot_", checkingLayout((x, k) -> x[0].clone().hypot_(x[1]))),
                entry("atan2_", checkingLayout((x, k) -> x[0].clone().atan2_(x[1]))),
                entry("fmod_", checkingLayout((x, k) -> x[0].clone().fmod_(x[1]))),
                entry("remainder_", checkingLayout((x, k) -> x[0].clone().remainder_(x[1]))),
                entry("fmod_scalar_", checkingLayout((x, k) -> x[0].clone().fmod_(k.d("s")))),
                entry("remainder_scalar_", checkingLayout((x, k) -> x[0].clone().remainder_(k.d("s")))),
                entry("floor_divide_", checkingLayout((x, k) -> x[0].clone().floorDivide_(x[1]))),
                entry("arctan2_", checkingLayout((x, k) -> x[0].clone().arctan2_(x[1]))),
                entry("divide_", checkingLayout((x, k) -> x[0].clone().divide_(x[1]))),
                entry("multiply_", checkingLayout((x, k) -> x[0].clone().multiply_(x[1]))),
                entry("subtract_", checkingLayout((x, k) -> x[0].clone().subtract_(x[1]))),
                entry("greater_", checkingLayout((x, k) -> x[0].clone().greater_(x[1]))),
                entry("greater_equal_", checkingLayout((x, k) -> x[0].clone().greaterEqual_(x[1]))),
                entry("less_", checkingLayout((x, k) -> x[0].clone().less_(x[1]))),
                entry("less_equal_", checkingLayout((x, k) -> x[0].clone().lessEqual_(x[1]))),
                entry("not_equal_", checkingLayout((x, k) -> x[0].clone().notEqual_(x[1]))),
                entry("arccos_", checkingLayout((x, k) -> x[0].clone().arccos_())),
                entry("arcsin_", checkingLayout((x, k) -> x[0].clone().arcsin_())),
                entry("arctan_", checkingLayout((x, k) -> x[0].clone().arctan_())),
                entry("arcsinh_", checkingLayout((x, k) -> x[0].clone().arcsinh_())),
                entry("arctanh_", checkingLayout((x, k) -> x[0].clone().arctanh_())),
                entry("arccosh_", checkingLayout((x, k) -> x[0].clone().arccosh_())),
                entry("negative_", checkingLayout((x, k) -> x[0].clone().negative_())),
                entry("clip_", checkingLayout((x, k) -> x[0].clone().clip_(k.d("lo"), k.d("hi")))),
                entry("addcmul_default", checkingLayout((x, k) -> x[0].addcmul(x[1], x[2]))),
                entry("addcdiv_default", checkingLayout((x, k) -> x[0].addcdiv(x[1], x[2]))),
                entry("addcmul_default_", checkingLayout((x, k) -> x[0].clone().addcmul_(x[1], x[2]))),
                entry("addcdiv_default_", checkingLayout((x, k) -> x[0].clone().addcdiv_(x[1], x[2]))),
                entry("addmm_method", checkingLayout((x, k) -> x[0].addmm(x[1], x[2]))),
                entry("addmv_method", checkingLayout((x, k) -> x[0].addmv(x[1], x[2]))),
                entry("addr_method", checkingLayout((x, k) -> x[0].addr(x[1], x[2]))),
                entry("baddbmm_method", checkingLayout((x, k) -> x[0].baddbmm(x[1], x[2]))),
                entry("addbmm_method", checkingLayout((x, k) -> x[0].addbmm(x[1], x[2]))),
                entry("addmm_method_scaled", checkingLayout((x, k) -> x[0].addmm(x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("addmv_method_scaled", checkingLayout((x, k) -> x[0].addmv(x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("addr_method_scaled", checkingLayout((x, k) -> x[0].addr(x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("baddbmm_method_scaled", checkingLayout((x, k) -> x[0].baddbmm(x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("addbmm_method_scaled", checkingLayout((x, k) -> x[0].addbmm(x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("addmv_default_", checkingLayout((x, k) -> x[0].clone().addmv_(x[1], x[2]))),
                entry("addbmm_default_", checkingLayout((x, k) -> x[0].clone().addbmm_(x[1], x[2]))),
                entry("baddbmm_default_", checkingLayout((x, k) -> x[0].clone().baddbmm_(x[1], x[2]))),
                entry("unsafe_chunk", checkingLayout((x, k) -> x[0].unsafeChunk(k.i("chunks"), k.i("dim")))),
                entry("unsafe_split", checkingLayout((x, k) -> x[0].unsafeSplit(k.i("size"), k.i("dim")))),
                entry("adjoint", checkingLayout((x, k) -> x[0].adjoint())),
                entry("angle", checkingLayout((x, k) -> x[0].angle())));
        return OpCases.run("more_api", ops);
    }

    /** unsafe_chunk's parts are not views to autograd: each has a version counter of its own, and writing one leaves the input's history. */
    @Test
    void unsafeChunkPartsAreWrittenWithoutRebasingTheInput() {
        // x = torch.arange(10.).requires_grad_(); y = x * 1; c = y.unsafe_chunk(3); c[0].mul_(2)
        // y._version, c[0]._version, c[1]._version, c[0].grad_fn.name(), y.grad_fn.name(), y[:4]
        // -> 0 1 0 MulBackward0 MulBackward0 tensor([0., 2., 4., 6.], grad_fn=<SliceBackward0>)
        Tensor x = Tensor.arange(0.0, 10.0).requiresGrad_();
        Tensor y = x.mul(1.0);
        List<Tensor> c = y.unsafeChunk(3);
        assertThat(c.get(0).gradFn().name()).isEqualTo("UnsafeSplitBackward0");
        c.get(0).mul_(2.0);
        assertThat(List.of(y.version(), c.get(0).version(), c.get(1).version())).containsExactly(0, 1, 0);
        assertThat(c.get(0).gradFn().name()).isEqualTo("MulBackward0");
        assertThat(y.gradFn().name()).isEqualTo("MulBackward0");
        assertThat(y.narrow(0, 0, 4).toString()).isEqualTo("tensor([0., 2., 4., 6.], grad_fn=<SliceBackward0>)");
        // c = y.unsafe_chunk(3); (c[0].sum() * 2 + c[2].sum()).backward(); x.grad -> tensor([2., 2., 2., 2., 0., 0., 0., 0., 1., 1.])
        List<Tensor> d = y.unsafeChunk(3);
        d.get(0).sum().mul(2.0).add(d.get(2).sum()).backward();
        assertThat(x.grad().toString()).isEqualTo("tensor([2., 2., 2., 2., 0., 0., 0., 0., 1., 1.])");
    }

    /** p as the fixture carries it: a number, or "inf"/"-inf". */
    private static double p(dev.ember.testing.Kw k) {
        String s = k.s("p");
        return s.endsWith("inf") ? (s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : k.d("p");
    }

    /** The in-place logical ops are invisible to autograd in 1.13: a leaf that requires grad may take them, and only the version moves. */
    @Test
    void logicalInPlaceIsUntracked() {
        // a = torch.tensor([1., 0.], requires_grad=True); a.logical_not_()  -> tensor([0., 1.], requires_grad=True)
        Tensor a = Tensor.fromArray(new float[] {1f, 0f}, 2).requiresGrad_(true);
        assertThat(a.logicalNot_().toString()).isEqualTo("tensor([0., 1.], requires_grad=True)");
        assertThat(a.isLeaf()).isTrue();
        // y = a * 1; z = y * y; y.logical_not_(); z.sum().backward()  -> the version error naming MulBackward0
        Tensor y = a.mul(1L), z = y.mul(y);
        y.logicalAnd_(Tensor.fromArray(new float[] {1f, 1f}, 2));
        assertThat(y.version()).isEqualTo(1);
        assertThat(y.gradFn().name()).isEqualTo("MulBackward0");
        assertThatThrownBy(() -> z.sum().backward()).hasMessageStartingWith("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [2]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead.");
    }

    /** {@code x.data} shares memory but not the version counter: writing it leaves a graph that saved x usable. */
    @Test
    void dataHasItsOwnVersionCounter() {
        // a = torch.tensor([1., 2.], requires_grad=True); y = a * 1; z = y * y; y.data.mul_(2); z.sum().backward()
        Tensor a = Tensor.fromArray(new float[] {1f, 2f}, 2).requiresGrad_(true);
        Tensor y = a.mul(1L), z = y.mul(y);
        Tensor d = y.data();
        d.mul_(2L);
        z.sum().backward();
        assertThat(a.grad().toString()).isEqualTo("tensor([4., 8.])");  // the saved y reads the written values
        assertThat(y.version()).isZero();                                 // y._version 0, y.data._version 1
        assertThat(d.version()).isEqualTo(1);
        assertThat(d.requiresGrad()).isFalse();
        assertThat(d.gradFn()).isNull();
        // a view of the alias counts on the alias's counter
        d.view(2).add_(1L);
        assertThat(d.version()).isEqualTo(2);
        assertThat(y.version()).isZero();
    }

    /** {@code x.data = y} swaps the memory under x and keeps x a leaf that requires grad. */
    @Test
    void setDataKeepsAutogradState() {
        // a.data = torch.tensor([5., 6., 7.]); a -> tensor([5., 6., 7.], requires_grad=True), a.is_leaf True
        Tensor a = Tensor.fromArray(new float[] {1f, 2f}, 2).requiresGrad_(true);
        a.setData(Tensor.fromArray(new float[] {5f, 6f, 7f}, 3));
        assertThat(a.toString()).isEqualTo("tensor([5., 6., 7.], requires_grad=True)");
        assertThat(a.isLeaf()).isTrue();
        a.sum().backward();
        assertThat(a.grad().toString()).isEqualTo("tensor([1., 1., 1.])");
        // a.data = torch.tensor([1, 2])
        assertThatThrownBy(() -> a.setData(Tensor.fromArray(new long[] {1, 2}, 2)))
                .hasMessage("data set to a tensor that requires gradients must be floating point or complex dtype");
        // w = torch.ones(2, requires_grad=True); v = w * 2; v.data = torch.zeros(2) -> tensor([0., 0.], grad_fn=<MulBackward0>)
        Tensor v = Tensor.ones(2).requiresGrad_(true).mul(2L);
        v.setData(Tensor.zeros(2));
        assertThat(v.toString()).isEqualTo("tensor([0., 0.], grad_fn=<MulBackward0>)");
    }

    /** torch.set_default_dtype: factories, Python floats and integer-to-float promotion take it. */
    @Test
    void defaultDtype() {
        assertThat(Tensor.getDefaultDtype()).isEqualTo(DType.FLOAT32);
        // torch.set_default_dtype(torch.int64)
        assertThatThrownBy(() -> Tensor.setDefaultDtype(DType.INT64)).hasMessage("only floating-point types are supported as the default type");
        try {
            Tensor.setDefaultDtype(DType.FLOAT64);
            Tensor i = Tensor.fromArray(new long[] {1, 2}, 2);
            // torch.zeros(1), torch.tensor([1.5]), torch.tensor(1.5), torch.arange(3.), torch.linspace(0, 1, 3), torch.full((2,), 1.5),
            // torch.eye(2), torch.rand(2), i * 2.5, i.exp(), i / 2: all float64; float32 ones * 2.5 stays float32
            for (Tensor t : List.of(Tensor.zeros(1), Tensor.tensor(List.of(1.5)), Tensor.tensor(1.5), Tensor.arange(3.0), Tensor.linspace(0, 1, 3),
                    Tensor.full(new int[] {2}, 1.5), Tensor.eye(2), Tensor.rand(2), i.mul(2.5), i.exp(), i.div(Tensor.tensor(2L))))
                assertThat(t.dtype()).isEqualTo(DType.FLOAT64);
            assertThat(Tensor.ones(new int[] {2}, DType.FLOAT32).mul(2.5).dtype()).isEqualTo(DType.FLOAT32);
            // torch.set_default_dtype(torch.float16) is allowed
            Tensor.setDefaultDtype(DType.FLOAT16);
            assertThat(Tensor.zeros(1).dtype()).isEqualTo(DType.FLOAT16);
        } finally {
            Tensor.setDefaultDtype(DType.FLOAT32);
        }
    }

    /** torch.inference_mode(): tensors made inside are inference tensors, which autograd refuses afterwards with 1.13's messages. */
    @Test
    void inferenceMode() {
        Tensor a = Tensor.ones(2).requiresGrad_(true), t, u, v;
        Tensor b = Tensor.zeros(2);
        try (var g = InferenceMode.enable()) {
            // with torch.inference_mode(): t = torch.ones(2); u = a * 2; v = a.view(2); b.add_(1)
            assertThat(InferenceMode.isEnabled()).isTrue();
            assertThat(GradMode.isEnabled()).isFalse();
            t = Tensor.ones(2);
            u = a.mul(2L);
            v = a.view(2);
            b.add_(1L);
        }
        assertThat(InferenceMode.isEnabled()).isFalse();
        assertThat(GradMode.isEnabled()).isTrue();
        // t.is_inference() True, u.is_inference() True with no grad_fn; a view of a normal tensor stays normal and requires grad
        assertThat(t.isInference()).isTrue();
        assertThat(u.isInference()).isTrue();
        assertThat(u.requiresGrad()).isFalse();
        assertThat(v.isInference()).isFalse();
        assertThat(v.requiresGrad()).isTrue();
        assertThat(b.isInference()).isFalse();
        assertThat(b.version()).isEqualTo(1);
        // (t * a) saves t: refused
        String notSaved = "Inference tensors cannot be saved for backward. To work around you can make a clone to get a normal tensor and use it in autograd.";
        assertThatThrownBy(() -> t.mul(a)).hasMessage(notSaved);
        assertThatThrownBy(() -> a.exp().mul(t)).hasMessage(notSaved);
        // t.exp() * a is fine: t.exp() made outside is a normal tensor; so is a clone
        assertThat(t.exp().mul(a).gradFn().name()).isEqualTo("MulBackward0");
        Tensor c = t.clone();
        c.add_(1L);
        assertThat(c.isInference()).isFalse();
        // t.add_(1); t.requires_grad_(); t._version
        assertThatThrownBy(() -> t.add_(1L)).hasMessage("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get "
                + "a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.");
        assertThatThrownBy(() -> t.requiresGrad_()).hasMessage("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
        assertThatThrownBy(t::version).hasMessage("Inference tensors do not track version counter.");
        assertThat(t.view(2).isInference()).isTrue();
        assertThat(t.detach().isInference()).isTrue();
        // with torch.inference_mode(): x.detach(), x.data, x[0:1] of a normal x are all normal (False in 1.13)
        Tensor x = Tensor.ones(3);
        try (var g = InferenceMode.enable()) {
            assertThat(x.detach().isInference()).isFalse();
            assertThat(x.data().isInference()).isFalse();
            assertThat(x.narrow(0, 0, 1).isInference()).isFalse();
            assertThat(x.clone().isInference()).isTrue();
        }
        // with torch.inference_mode(False): a normal tensor
        try (var g = InferenceMode.set(false)) {
            assertThat(Tensor.ones(1).isInference()).isFalse();
        }
    }
}

package dev.ember.tensor;

import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dtype storage, conversion (tools/fixtures/fx_casts.py) and promotion (fx_promotion.py) against PyTorch. */
class DTypeTest {

    @TestFactory
    Stream<DynamicTest> casts() {
        return OpCases.run("casts", Map.<String, Op>of(
                "to", (x, k) -> x[0].to(DType.fromName(k.s("dtype"))),
                "copy_", (x, k) -> x[0].clone().copy_(x[1]),
                "copy_split_", (x, k) -> x[0].split(2).get(0).copy_(x[1])));
    }

    @TestFactory
    Stream<DynamicTest> promotion() {
        FixtureFile file = Fixtures.load("promotion");
        return file.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Kw k = new Kw(c.kwargs());
            DType expected = DType.fromName(k.s("expected"));
            DType actual = switch (c.op()) {
                case "promote_types" -> DType.promote(DType.fromName(k.s("a")), DType.fromName(k.s("b")));
                case "result_type" -> {
                    Tensor a = file.tensor(c.inputs().get(0).name());
                    if (c.inputs().size() == 2) yield Tensor.resultType(a, file.tensor(c.inputs().get(1).name()));
                    var scalar = c.kwargs().get("scalar");
                    yield scalar.isBoolean() ? Tensor.resultType(a, scalar.asBoolean())
                            : scalar.isIntegralNumber() ? Tensor.resultType(a, scalar.asLong()) : Tensor.resultType(a, scalar.asDouble());
                }
                default -> throw new IllegalArgumentException("no binding for " + c.op());
            };
            assertThat(actual).as(c.id()).isEqualTo(expected);
        }));
    }

    /** Ops whose promotion or rounding has a twist (tools/fixtures/fx_promotion_ops.py), compared bit for bit. */
    @TestFactory
    Stream<DynamicTest> promotionOps() {
        return OpCases.run("promotion_ops", Map.<String, Op>ofEntries(
                Map.entry("addcmul", (x, k) -> x[0].addcmul(x[1], x[2], k.d("value"))),
                Map.entry("addcdiv", (x, k) -> x[0].addcdiv(x[1], x[2], k.d("value"))),
                Map.entry("add_out", (x, k) -> x[0].clone().addOut(x[1], x[2])),
                Map.entry("mul_out", (x, k) -> x[0].clone().mulOut(x[1], x[2])),
                Map.entry("inplace_scalar", (x, k) -> inplaceScalar(x[0].clone(), k)),
                Map.entry("rsub_scalar", (x, k) -> k.isInt("scalar") ? x[0].rsub(k.l("scalar")) : x[0].rsub(k.d("scalar"))),
                Map.entry("masked_fill_scalar", (x, k) -> x[0].maskedFill(x[0].gt(2L), k.l("scalar"))),
                Map.entry("pow_scalar", (x, k) -> k.isInt("exponent") ? x[0].pow(k.l("exponent")) : x[0].pow(k.d("exponent"))),
                Map.entry("rsqrt", (x, k) -> x[0].rsqrt()),
                Map.entry("norm", (x, k) -> k.has("dim") ? x[0].norm(2, new int[] {k.i("dim")}, false) : x[0].norm()),
                Map.entry("lerp", (x, k) -> x[0].lerp(x[1], k.d("weight"))),
                Map.entry("add_alpha", (x, k) -> k.isInt("alpha") ? x[0].add(x[1], k.l("alpha")) : x[0].add(x[1], k.d("alpha"))),
                Map.entry("sub_alpha", (x, k) -> k.isInt("alpha") ? x[0].sub(x[1], k.l("alpha")) : x[0].sub(x[1], k.d("alpha"))),
                Map.entry("add_alpha_", (x, k) -> k.isInt("alpha") ? x[0].clone().add_(x[1], k.l("alpha")) : x[0].clone().add_(x[1], k.d("alpha"))),
                Map.entry("inplace_tensor", (x, k) -> k.s("op").equals("mul_") ? x[0].clone().mul_(x[1]) : x[0].clone().div_(x[1])),
                Map.entry("softmax_dtype", (x, k) -> x[0].softmax(k.i("dim"), DType.fromName(k.s("dtype")))),
                Map.entry("log_softmax_dtype", (x, k) -> x[0].logSoftmax(k.i("dim"), DType.fromName(k.s("dtype")))),
                Map.entry("mean_dtype", (x, k) -> k.has("dim") ? x[0].mean(new int[] {k.i("dim")}, false, DType.fromName(k.s("dtype")))
                        : x[0].mean(DType.fromName(k.s("dtype"))))));
    }

    /** {@code x.op_(scalar)} with the Python number's kind: a Java long for an int, a double for a float. */
    private static Tensor inplaceScalar(Tensor x, Kw k) {
        boolean isInt = k.isInt("scalar");
        long l = k.l("scalar");
        double d = k.d("scalar");
        return switch (k.s("op")) {
            case "add_" -> isInt ? x.add_(l) : x.add_(d);
            case "sub_" -> isInt ? x.sub_(l) : x.sub_(d);
            case "mul_" -> isInt ? x.mul_(l) : x.mul_(d);
            case "div_" -> isInt ? x.div_(l) : x.div_(d);
            case "pow_" -> isInt ? x.pow_(l) : x.pow_(d);
            case "fill_" -> isInt ? x.fill_(l) : x.fill_(d);
            default -> throw new IllegalArgumentException("no binding for " + k.s("op"));
        };
    }

    @Test
    void halfFloatsRoundToNearestEven() {
        // the float16/bfloat16 neighbours of 1 are 1 + 2^-10 and 1 + 2^-7: exact midpoints go to the even one
        Tensor t = Tensor.fromArray(new float[] {1 + 0x1p-11f, 1 + 3 * 0x1p-11f, 1 + 0x1p-8f, 1 + 3 * 0x1p-8f}, 4);
        assertThat(t.to(DType.FLOAT16).toFloatArray()).containsExactly(1f, 1 + 0x1p-9f, 1 + 0x1p-8f, 1 + 3 * 0x1p-8f);
        assertThat(t.to(DType.BFLOAT16).toFloatArray()).containsExactly(1f, 1f, 1f, 1 + 2 * 0x1p-7f);
    }

    @Test
    void fromArrayNamesTheArrayTypeEachDtypeWraps() {
        Tensor mask = Tensor.fromArray(new byte[] {1, 0, 1}, DType.BOOL, 3);
        assertThat(mask.toString()).isEqualTo("tensor([ True, False,  True])");
        assertThatThrownBy(() -> Tensor.fromArray(new boolean[] {true}, DType.BOOL, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a torch.bool tensor wraps a byte[] of 0s and 1s, not boolean[]");
        assertThatThrownBy(() -> Tensor.fromArray(new float[] {1}, DType.FLOAT16, 1)).hasMessage("a torch.float16 tensor wraps a short[] of raw bits, not float[]");
        assertThatThrownBy(() -> Tensor.fromArray(new int[] {1}, DType.INT64, 1)).hasMessage("a torch.int64 tensor wraps a long[], not int[]");
        assertThatThrownBy(() -> Tensor.fromArray("abc", DType.INT64, 1)).hasMessage("a torch.int64 tensor wraps a long[], not java.lang.String");
        assertThatThrownBy(() -> Tensor.fromArray(null, DType.FLOAT32, 1)).hasMessage("a torch.float32 tensor wraps a float[], not null");
    }

    @Test
    void storageKeepsEveryDtypeByteExact() {
        for (DType d : DType.values()) {
            Tensor t = Tensor.tensor(new double[] {0, 1, 2}).to(d);
            assertThat(t.dtype()).isEqualTo(d);
            assertThat(t.toHost().toBytes(0, 3)).hasSize(3 * d.itemSize());
            assertThat(t.toLongArray()).containsExactly(0, 1, d == DType.BOOL ? 1 : 2);
        }
    }

    @Test
    void names() {
        assertThat(DType.fromName("torch.float")).isEqualTo(DType.FLOAT32);
        assertThat(DType.fromName("half")).isEqualTo(DType.FLOAT16);
        assertThat(DType.fromName("long")).isEqualTo(DType.INT64);
        assertThat(DType.BFLOAT16.toString()).isEqualTo("torch.bfloat16");
        assertThatThrownBy(() -> DType.fromName("complex64")).hasMessage("unknown dtype 'complex64'");
    }
}

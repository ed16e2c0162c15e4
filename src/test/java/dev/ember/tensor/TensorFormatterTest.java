package dev.ember.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.tensor.spi.Backend;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Storage;
import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureCase;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.OpCases;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Proxy;
import java.util.function.Function;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code toString()} against {@code str(tensor)} from PyTorch 1.13: the {@code format} family (tools/fixtures/fx_format.py),
 * or random cases from tools/fixtures/format_fuzz.py given as {@code -Dember.format=FILE}.
 */
class TensorFormatterTest {

    private static final Map<String, Function<Tensor[], Tensor>> OPS = Map.of(
            "str", x -> x[0],
            "str_requires_grad", x -> x[0].requiresGrad_(),
            "str_add", x -> x[0].requiresGrad_().add(x[1]),
            "str_mul_scalar", x -> x[0].requiresGrad_().mul(2.0),
            "str_remainder", x -> x[0].requiresGrad_().remainder(x[1]),
            "str_remainder_scalar", x -> x[0].requiresGrad_().remainder(1.5),
            "str_fmod", x -> x[0].requiresGrad_().fmod(x[1]),
            "str_fmod_scalar", x -> x[0].requiresGrad_().fmod(1.5));

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        String fuzzed = System.getProperty("ember.format");
        FixtureFile file = fuzzed == null ? Fixtures.load("format") : Fixtures.loadFile(java.nio.file.Path.of(fuzzed));
        return file.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(file, c)));
    }

    private static void check(FixtureFile file, FixtureCase c) {
        var op = OPS.get(c.op());
        assertThat(op).as("binding for %s", c.op()).isNotNull();
        Tensor[] in = new Tensor[c.inputs().size()];
        for (int k = 0; k < in.length; k++) in[k] = OpCases.applyView(file.tensor(c.inputs().get(k).name()), c.inputs().get(k).view());
        JsonNode opts = c.kwargs().get("options");
        Tensor.setPrintOptions(opts == null ? PrintOptions.DEFAULT : options(opts));
        try {
            assertThat(op.apply(in).toString()).as(c.id()).isEqualTo(c.kwargs().get("expected").asText());
        } finally {
            Tensor.setPrintOptions(PrintOptions.DEFAULT);
        }
    }

    /** The case's {@code torch.set_printoptions(**options)}: the profile first, then each option given. */
    private static PrintOptions options(JsonNode o) {
        PrintOptions p = o.has("profile") ? PrintOptions.profile(o.get("profile").asText()) : PrintOptions.DEFAULT;
        if (o.has("precision")) p = p.withPrecision(o.get("precision").asInt());
        if (o.has("threshold")) p = p.withThreshold(o.get("threshold").asDouble());
        if (o.has("edgeitems")) p = p.withEdgeItems(o.get("edgeitems").asInt());
        if (o.has("linewidth")) p = p.withLineWidth(o.get("linewidth").asInt());
        if (o.has("sci_mode")) p = p.withSciMode(o.get("sci_mode").asBoolean());
        return p;
    }

    @Test
    void printOptionsRefuseWhatCannotPrint() {
        assertThatThrownBy(() -> PrintOptions.DEFAULT.withPrecision(-1)).hasMessage("precision must be non-negative, got -1");
        assertThatThrownBy(() -> PrintOptions.DEFAULT.withEdgeItems(0)).hasMessage("edgeitems must be positive, got 0");
        assertThatThrownBy(() -> PrintOptions.profile("long")).hasMessage("unknown print profile 'long': expected 'default', 'short' or 'full'");
        assertThatThrownBy(() -> Tensor.setPrintOptions(null)).isInstanceOf(NullPointerException.class);
        assertThat(Tensor.printOptions()).isEqualTo(PrintOptions.DEFAULT);
    }

    @Test
    void readmeExample() {
        Tensor x = Tensor.tensor(new float[][] {{1, 2}, {3, 4}}).requiresGrad_();
        Tensor y = x.mul(x).add(x.sum(1, true)).mean();
        y.backward();
        // str(x.grad) and str(y) from PyTorch 1.13
        assertThat(x.grad().toString()).isEqualTo("tensor([[1.0000, 1.5000],\n        [2.0000, 2.5000]])");
        assertThat(y.toString()).isEqualTo("tensor(12.5000, grad_fn=<MeanBackward0>)");
    }

    @Test
    void deviceSuffixComesFirst() {
        // No GPU is needed to check the text: a storage that claims to live on cuda:0, read through a stand-in backend.
        HostStorage host = Tensor.of(1.5f, -2f, 3f).toHost();
        Backend fake = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (p, m, a) -> {
            if (m.getName().equals("toHost")) return host;
            throw new UnsupportedOperationException(m.getName());
        });
        Storage onCuda = new Storage(DType.FLOAT64, 3) {
            @Override public Device device() { return Device.cuda(0); }

            @Override public Backend backend() { return fake; }

            @Override protected void free() {}
        };
        // str(torch.tensor([1.5, -2., 3.], dtype=torch.float64, device='cuda:0'))
        Tensor t = Tensor.of(onCuda, Layout.contiguous(3));
        assertThat(t.toString()).isEqualTo("tensor([ 1.5000, -2.0000,  3.0000], device='cuda:0', dtype=torch.float64)");
    }

    @Test
    void pythonNumberSpelling() {
        assertThat(NumberFormat.fixed(-0.00001, 4)).isEqualTo("-0.0000");
        assertThat(NumberFormat.fixed(0.125, 2)).isEqualTo("0.12");
        assertThat(NumberFormat.fixed(2.5, 0)).isEqualTo("2");
        assertThat(NumberFormat.scientific(9.99995e-5, 4)).isEqualTo("9.9999e-05");
        assertThat(NumberFormat.scientific(9.99996e-5, 4)).isEqualTo("1.0000e-04");
        assertThat(NumberFormat.scientific(1e100, 4)).isEqualTo("1.0000e+100");
        assertThat(NumberFormat.scientific(-0.0, 4)).isEqualTo("-0.0000e+00");
        assertThat(NumberFormat.cpp(-1.0)).isEqualTo("-1");
        assertThat(NumberFormat.cpp(0.5)).isEqualTo("0.5");
        assertThat(NumberFormat.cpp(1e-7)).isEqualTo("1e-07");
        assertThat(NumberFormat.cpp(1234567.0)).isEqualTo("1.23457e+06");
        assertThat(NumberFormat.cpp(123456.0)).isEqualTo("123456");
        assertThat(NumberFormat.cpp(0.0001)).isEqualTo("0.0001");
        assertThat(NumberFormat.cpp(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    }
}

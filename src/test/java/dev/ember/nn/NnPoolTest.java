package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;

/** Max, average and adaptive pooling against PyTorch (tools/fixtures/fx_nn_pool.py). */
class NnPoolTest {

    private static int[] ints(Kw k, String name, int[] dflt) { return k.has(name) ? k.ints(name) : dflt; }

    private static boolean b(Kw k, String name, boolean dflt) { return k.has(name) ? k.b(name) : dflt; }

    /** output_size entries may be None (JSON null), which Ember spells -1. */
    private static int[] sizes(Kw k) {
        var n = k.node().get("o");
        if (!n.isArray()) return new int[] {n.asInt()};
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).isNull() ? -1 : n.get(i).asInt();
        return out;
    }

    @TestFactory
    Stream<DynamicTest> nnPool() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("max_pool2d", (x, k) -> F.maxPool2dWithIndices(x[0], k.ints("kernel_size"), ints(k, "stride", null), ints(k, "padding", new int[] {0}),
                        ints(k, "dilation", new int[] {1}), b(k, "ceil_mode", false))),
                entry("max_pool1d", (x, k) -> F.maxPool1dWithIndices(x[0], k.i("kernel_size"), k.has("stride") ? k.i("stride") : null, k.has("padding") ? k.i("padding") : 0,
                        k.has("dilation") ? k.i("dilation") : 1, b(k, "ceil_mode", false))),
                entry("avg_pool2d", (x, k) -> F.avgPool2d(x[0], k.ints("kernel_size"), ints(k, "stride", null), ints(k, "padding", new int[] {0}), b(k, "ceil_mode", false),
                        b(k, "count_include_pad", true), k.has("divisor_override") ? k.i("divisor_override") : null)),
                entry("avg_pool1d", (x, k) -> F.avgPool1d(x[0], k.i("kernel_size"), k.i("stride"), k.i("padding"), false, b(k, "count_include_pad", true))),
                entry("adaptive_avg_pool2d", (x, k) -> F.adaptiveAvgPool2d(x[0], sizes(k))),
                entry("adaptive_max_pool2d", (x, k) -> F.adaptiveMaxPool2dWithIndices(x[0], sizes(k))),
                entry("adaptive_avg_pool1d", (x, k) -> F.adaptiveAvgPool1d(x[0], k.i("o"))),
                entry("adaptive_max_pool1d", (x, k) -> F.adaptiveMaxPool1d(x[0], k.i("o")))
        );
        return OpCases.run("nn_pool", ops);
    }
}

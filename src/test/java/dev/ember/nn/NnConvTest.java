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

/** Convolutions, transposed convolutions and unfold/fold against PyTorch (tools/fixtures/fx_nn_conv.py). */
class NnConvTest {

    static int[] ints(Kw k, String name, int dflt) { return k.has(name) ? k.ints(name) : new int[] {dflt}; }

    @TestFactory
    Stream<DynamicTest> nnConv() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("conv2d", (x, k) -> k.has("padding") && !k.isInt("padding") && isString(k, "padding")
                        ? F.conv2d(x[0], x[1], x.length > 2 ? x[2] : null, ints(k, "stride", 1), k.s("padding"), ints(k, "dilation", 1), k.has("groups") ? k.i("groups") : 1)
                        : F.conv2d(x[0], x[1], x.length > 2 ? x[2] : null, ints(k, "stride", 1), ints(k, "padding", 0), ints(k, "dilation", 1), k.has("groups") ? k.i("groups") : 1)),
                entry("conv1d", (x, k) -> isString(k, "padding")
                        ? F.conv1d(x[0], x[1], x.length > 2 ? x[2] : null, ints(k, "stride", 1), k.s("padding"), ints(k, "dilation", 1), k.has("groups") ? k.i("groups") : 1)
                        : F.conv1d(x[0], x[1], x.length > 2 ? x[2] : null, ints(k, "stride", 1), ints(k, "padding", 0), ints(k, "dilation", 1), k.has("groups") ? k.i("groups") : 1)),
                entry("conv_transpose2d", (x, k) -> F.convTranspose2d(x[0], x[1], x.length > 2 ? x[2] : null, ints(k, "stride", 1), ints(k, "padding", 0),
                        ints(k, "output_padding", 0), k.has("groups") ? k.i("groups") : 1, ints(k, "dilation", 1))),
                entry("conv_transpose1d", (x, k) -> F.convTranspose1d(x[0], x[1], x[2], ints(k, "stride", 1), ints(k, "padding", 0),
                        ints(k, "output_padding", 0), 1, ints(k, "dilation", 1))),
                entry("unfold", (x, k) -> F.unfold(x[0], k.ints("kernel_size"), k.ints("dilation"), k.ints("padding"), k.ints("stride"))),
                entry("fold", (x, k) -> F.fold(x[0], k.ints("output_size"), k.ints("kernel_size"), k.ints("dilation"), k.ints("padding"), k.ints("stride")))
        );
        return OpCases.run("nn_conv", ops);
    }

    private static boolean isString(Kw k, String name) { return k.has(name) && k.node().get(name).isTextual(); }
}

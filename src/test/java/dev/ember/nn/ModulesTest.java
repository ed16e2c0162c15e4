package dev.ember.nn;

import dev.ember.tensor.Tensor;
import dev.ember.testing.Kw;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static java.util.Map.entry;

/**
 * Every layer as a module against PyTorch (tools/fixtures/fx_nn_modules.py): repr, state_dict keys and versions,
 * loading PyTorch's state_dict, outputs, input and parameter gradients, buffers (BatchNorm running stats).
 */
class ModulesTest {

    static int[] ints(Kw k, String name, int dflt) { return k.has(name) ? k.ints(name) : new int[] {dflt}; }

    static int i(Kw k, String name, int dflt) { return k.has(name) ? k.i(name) : dflt; }

    static double d(Kw k, String name, double dflt) { return k.has(name) ? k.d(name) : dflt; }

    static boolean b(Kw k, String name, boolean dflt) { return k.has(name) ? k.b(name) : dflt; }

    static String s(Kw k, String name, String dflt) { return k.has(name) ? k.s(name) : dflt; }

    /** seed 003: four matrices in a ParameterList, multiplied in turn. */
    static final class MyListDense extends Module {
        final ParameterList params = register("params", new ParameterList(Tensor.randn(4, 4), Tensor.randn(4, 4), Tensor.randn(4, 4)));

        MyListDense() { params.add(Tensor.randn(4, 1)); }

        @Override
        public Tensor forward(Tensor x) {
            for (int i = 0; i < params.size(); i++) x = x.mm(params.get(i));
            return x;
        }
    }

    /** seed 003: a ParameterDict from a plain dict (sorted keys), then update(). */
    static final class MyDictDense extends Module {
        final ParameterDict params = register("params", new ParameterDict(Map.of("linear1", Tensor.randn(4, 4), "linear2", Tensor.randn(4, 1))));

        MyDictDense() { params.update(Map.of("linear3", Tensor.randn(4, 2))); }

        public Tensor forward(Tensor x, String choice) { return x.mm(params.get(choice)); }
    }

    /** Nested containers, a None child, persistent and non-persistent buffers, a parameter of its own. */
    static final class Tree extends Module {
        final Sequential features = register("features", new Sequential(
                new Conv2d(2, 4, new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, 1, true, "zeros"), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2)));
        final ModuleDict heads = register("heads", new ModuleDict(linked("cls", new Linear(16, 3), "aux", new Sequential(new Linear(16, 5), new Tanh()))));
        final ModuleList blocks = register("blocks", new ModuleList(new Linear(3, 3), new Identity()));

        Tree() {
            registerBuffer("scale", Tensor.of(2f));
            registerBuffer("cache", Tensor.zeros(2), false);
            register("empty", null);
            registerParameter("gain", Tensor.ones(3));
        }

        @Override
        public Object call(Object... args) {
            Tensor h = features.forward((Tensor) args[0]).flatten(1);
            Tensor y = blocks.get(0).forward(heads.get("cls").forward(h)).mul(param("gain")).mul(buffer("scale"));
            return List.of(y, heads.get("aux").forward(h));
        }
    }

    static Map<String, Module> linked(String k1, Module m1, String k2, Module m2) {
        Map<String, Module> m = new LinkedHashMap<>();
        m.put(k1, m1);
        m.put(k2, m2);
        return m;
    }

    static Tensor floats(Kw k, String name) {
        double[] v = k.doubles(name);
        float[] f = new float[v.length];
        for (int j = 0; j < v.length; j++) f[j] = (float) v[j];
        return Tensor.of(f);
    }

    @TestFactory
    Stream<DynamicTest> modules() {
        Map<String, Function<Kw, Module>> builders = Map.<String, Function<Kw, Module>>ofEntries(
                entry("Linear", k -> new Linear(k.i("in"), k.i("out"), k.b("bias"))),
                entry("Bilinear", k -> new Bilinear(k.i("in1"), k.i("in2"), k.i("out"))),
                entry("Conv2d", k -> {
                    if (k.has("args")) {
                        int[] a = k.ints("args");
                        return new Conv2d(a[0], a[1], a[2]);
                    }
                    if (k.has("padding") && k.node().get("padding").isTextual())
                        return new Conv2d(k.i("in"), k.i("out"), k.ints("kernel"), ints(k, "stride", 1), k.s("padding"), ints(k, "dilation", 1), i(k, "groups", 1),
                                b(k, "bias", true), s(k, "mode", "zeros"));
                    return new Conv2d(k.i("in"), k.i("out"), k.ints("kernel"), ints(k, "stride", 1), ints(k, "padding", 0), ints(k, "dilation", 1), i(k, "groups", 1),
                            b(k, "bias", true), s(k, "mode", "zeros"));
                }),
                entry("Conv1d", k -> new Conv1d(k.i("in"), k.i("out"), k.i("kernel"), i(k, "stride", 1), i(k, "padding", 0), 1, 1, true, "zeros")),
                entry("ConvTranspose2d", ModulesTest::convTranspose),
                entry("ConvTranspose2d_size", ModulesTest::convTranspose),
                entry("MaxPool2d", k -> new MaxPool2d(k.ints("kernel"), k.ints("stride"), ints(k, "padding", 0), ints(k, "dilation", 1), b(k, "indices", false),
                        b(k, "ceil", false))),
                entry("MaxPool1d", k -> new MaxPool1d(k.i("kernel"))),
                entry("AvgPool2d", k -> new AvgPool2d(k.ints("kernel"), k.has("stride") ? k.ints("stride") : null, ints(k, "padding", 0), b(k, "ceil", false),
                        b(k, "count_include_pad", true), k.has("divisor") ? k.i("divisor") : null)),
                entry("AdaptiveAvgPool2d", k -> new AdaptiveAvgPool2d(k.ints("size"))),
                entry("AdaptiveMaxPool2d", k -> new AdaptiveMaxPool2d(k.ints("size"), b(k, "indices", false))),
                entry("BatchNorm1d", k -> new BatchNorm1d(k.i("n"), d(k, "eps", 1e-5), momentum(k), b(k, "affine", true), b(k, "track", true))),
                entry("BatchNorm2d", k -> new BatchNorm2d(k.i("n"), d(k, "eps", 1e-5), momentum(k), b(k, "affine", true), b(k, "track", true))),
                entry("LayerNorm", k -> new LayerNorm(k.ints("shape"), d(k, "eps", 1e-5), b(k, "affine", true))),
                entry("GroupNorm", k -> new GroupNorm(k.i("groups"), k.i("channels"))),
                entry("Dropout", k -> new Dropout(k.d("p"))),
                entry("Embedding", k -> new Embedding(k.i("num"), k.i("dim"), k.has("pad") ? k.i("pad") : null, k.has("max_norm") ? k.d("max_norm") : null, 2.0)),
                entry("Flatten", k -> k.has("start") ? new Flatten(k.i("start"), k.i("end")) : new Flatten()),
                entry("Unflatten", k -> new Unflatten(k.i("dim"), k.ints("sizes"))),
                entry("Identity", k -> new Identity()),
                entry("ReLU", k -> new ReLU()),
                entry("LeakyReLU", k -> new LeakyReLU(k.d("slope"))),
                entry("ELU", k -> new ELU(k.d("alpha"))),
                entry("GELU", k -> new GELU(k.s("approximate"))),
                entry("SiLU", k -> new SiLU()),
                entry("Sigmoid", k -> new Sigmoid()),
                entry("Tanh", k -> new Tanh()),
                entry("Softplus", k -> new Softplus(k.d("beta"), k.d("threshold"))),
                entry("Softmax", k -> new Softmax(k.i("dim"))),
                entry("LogSoftmax", k -> new LogSoftmax(k.i("dim"))),
                entry("Hardtanh", k -> new Hardtanh(k.d("min"), k.d("max"))),
                entry("ReLU6", k -> new ReLU6()),
                entry("RNN", k -> new RNN(k.i("in"), k.i("hidden"), i(k, "layers", 1), s(k, "nonlinearity", "tanh"), b(k, "bias", true), b(k, "batch_first", false),
                        d(k, "dropout", 0), b(k, "bidirectional", false))),
                entry("LSTM", k -> new LSTM(k.i("in"), k.i("hidden"), i(k, "layers", 1), b(k, "bias", true), b(k, "batch_first", false), d(k, "dropout", 0),
                        b(k, "bidirectional", false), i(k, "proj", 0))),
                entry("GRU", k -> new GRU(k.i("in"), k.i("hidden"), i(k, "layers", 1), b(k, "bias", true), b(k, "batch_first", false), d(k, "dropout", 0),
                        b(k, "bidirectional", false))),
                entry("MyListDense", k -> new MyListDense()),
                entry("MyDictDense", k -> new MyDictDense()),
                entry("Tree", k -> new Tree()),
                entry("Sequential", k -> new Sequential(new Linear(4, 8), new ReLU(), new Dropout(0.5), new Linear(8, 2), new LogSoftmax(1))),
                entry("CrossEntropyLoss", k -> new CrossEntropyLoss(floats(k, "weight"), -100, "mean", k.d("ls"))),
                entry("BCEWithLogitsLoss", k -> new BCEWithLogitsLoss(null, "mean", floats(k, "pos_weight"))),
                entry("MarginRankingLoss", k -> new MarginRankingLoss(k.d("margin"), k.s("reduction"))),
                entry("CTCLoss", k -> new CTCLoss(k.i("blank"), "mean", false))
        );
        Map<String, BiFunction<Module, Tensor[], Object>> callers = Map.of(
                "MyDictDense", (m, x) -> ((MyDictDense) m).forward(x[0], "linear3"),
                "ConvTranspose2d_size", (m, x) -> ((ConvTranspose2d) m).forward(x[0], new int[] {8, 8}));
        return ModuleCases.run("nn_modules", builders, callers);
    }

    private static Double momentum(Kw k) {
        if (!k.node().has("momentum")) return 0.1;
        return k.node().get("momentum").isNull() ? null : k.d("momentum");
    }

    private static Module convTranspose(Kw k) {
        return new ConvTranspose2d(k.i("in"), k.i("out"), k.ints("kernel"), ints(k, "stride", 1), ints(k, "padding", 0), ints(k, "output_padding", 0), i(k, "groups", 1),
                b(k, "bias", true), ints(k, "dilation", 1), "zeros");
    }
}

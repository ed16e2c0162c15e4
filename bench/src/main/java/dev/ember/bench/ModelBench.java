package dev.ember.bench;

import dev.ember.autograd.GradMode;
import dev.ember.nn.Module;
import dev.ember.nn.SeedModels;
import dev.ember.nn.functional.F;
import dev.ember.optim.SGD;
import dev.ember.tensor.Generator;
import dev.ember.tensor.MemoryScope;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The seed models timed as /work/shared/bench/torch_baseline.py times them in PyTorch: inference at batch 1 and 64
 * (AlexNet 8) under no-grad, one training step (zero_grad, forward, cross-entropy, backward, SGD(lr=0.01,
 * momentum=0.9).step()) at batch 64 (AlexNet 8), and a 1024^3 float32 matmul; each the mean time per call over a
 * time budget after warm-up. Prints the same JSON keys as torch_baseline.py, so bench/summarize_models.py can put
 * them side by side.
 *
 * <p>One difference, on purpose: PyTorch warms up with 3 calls; here warm-up also runs for {@code --warmup}
 * seconds, because HotSpot compiles the hot paths during the first few hundred calls, and a server runs in that
 * compiled steady state.
 *
 * <pre>java ... dev.ember.bench.ModelBench [--budget 1.0] [--warmup 2.0] [--only lenet] [--rows train]</pre>
 */
public final class ModelBench {
    private ModelBench() {}

    record Spec(String name, Supplier<Module> model, int[] shape) {}

    static final List<Spec> MODELS = List.of(
            new Spec("mlp", SeedModels.MLP::new, new int[] {784}),
            new Spec("fashion", SeedModels.NeuralNetwork::new, new int[] {28, 28}),
            new Spec("lenet", SeedModels.Net::new, new int[] {1, 32, 32}),
            new Spec("alexnet", SeedModels.AlexNet::new, new int[] {1, 224, 224}));

    public static void main(String[] args) {
        double budget = 1.0, warmup = 2.0;
        String only = null, rows = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--budget" -> budget = Double.parseDouble(args[++i]);
                case "--warmup" -> warmup = Double.parseDouble(args[++i]);
                case "--only" -> only = args[++i];
                case "--rows" -> rows = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Generator g = new Generator(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("torch", "ember");
        out.put("threads", Integer.getInteger("ember.threads", Runtime.getRuntime().availableProcessors()));
        for (Spec s : MODELS) {
            if (only != null && !only.contains(s.name())) continue;
            Module m = s.model().get();
            m.eval();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int bs : new int[] {1, 64}) {
                if (rows != null && !rows.contains("infer")) break;
                int b = s.name().equals("alexnet") && bs == 64 ? 8 : bs;
                Tensor x = Tensor.randn(g, batch(b, s.shape()));
                // as the server runs a batch: under no-grad, in a MemoryScope that releases the batch's tensors
                double mean = timeit(() -> {
                    try (var scope = MemoryScope.open(); var ng = GradMode.noGrad()) {
                        return m.forward(x);
                    }
                }, budget, warmup);
                row.put("infer_b" + b + "_ms", round(mean * 1e3, 3));
                row.put("infer_b" + b + "_per_s", round(b / mean, 1));
            }
            if (rows == null || rows.contains("train")) {
                int b = s.name().equals("alexnet") ? 8 : 64;
                m.train();
                SGD opt = new SGD(m.parameters(), SGD.options().lr(0.01).momentum(0.9));
                Tensor x = Tensor.randn(g, batch(b, s.shape())), y = Tensor.randint(g, 0, 10, b);
                double mean = timeit(() -> {
                    opt.zeroGrad();
                    Tensor loss = F.crossEntropy(m.forward(x), y);
                    loss.backward();
                    opt.step();
                    return loss;
                }, budget, warmup);
                row.put("train_b" + b + "_ms", round(mean * 1e3, 3));
            }
            out.put(s.name(), row);
        }
        if (only == null || only.contains("sgemm")) {
            int n = 1024;
            Tensor a = Tensor.randn(g, n, n), b = Tensor.randn(g, n, n);
            double mean = timeit(() -> a.matmul(b), budget, warmup);
            out.put("sgemm1024_gflops", round(2.0 * n * n * n / mean / 1e9, 1));
        }
        System.out.println(json(out, ""));
    }

    static int[] batch(int b, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = b;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    /** Mean seconds per call over {@code budget} seconds, after 3 calls and {@code warmup} seconds of calls. */
    static double timeit(Supplier<Object> fn, double budget, double warmup) {
        for (int i = 0; i < 3; i++) sink(fn.get());
        long end = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < end) sink(fn.get());
        long t = System.nanoTime();
        int k = 0;
        while (System.nanoTime() - t < budget * 1e9) {
            sink(fn.get());
            k++;
        }
        return (System.nanoTime() - t) / 1e9 / k;
    }

    private static volatile Object blackhole;

    private static void sink(Object o) { blackhole = o; }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** The nested maps and numbers above as indented JSON (no dependency needed for this little). */
    @SuppressWarnings("unchecked")
    static String json(Object v, String indent) {
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            for (var e : ((Map<String, Object>) m).entrySet()) parts.add(indent + " \"" + e.getKey() + "\": " + json(e.getValue(), indent + " "));
            return "{\n" + String.join(",\n", parts) + "\n" + indent + "}";
        }
        if (v instanceof String s) return "\"" + s + "\"";
        return String.format(Locale.ROOT, "%s", v);
    }
}

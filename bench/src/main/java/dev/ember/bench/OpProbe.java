package dev.ember.bench;

import dev.ember.autograd.GradMode;
import dev.ember.nn.functional.F;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.util.function.Supplier;

/** Times single ops with the seed models' shapes (ms per call, GFLOPS where it applies): a profiling aid. */
public final class OpProbe {
    private OpProbe() {}

    public static void main(String[] args) {
        double budget = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        String only = args.length > 1 ? args[1] : "";
        Generator g = new Generator(1);
        try (var ng = GradMode.noGrad()) {
            // AlexNet convs at batch 8: input, weight, stride, padding
            int[][] convs = {{8, 1, 224, 224, 96, 11, 4, 0}, {8, 96, 26, 26, 256, 5, 1, 2}, {8, 256, 12, 12, 384, 3, 1, 1},
                    {8, 384, 12, 12, 384, 3, 1, 1}, {8, 384, 12, 12, 256, 3, 1, 1}, {64, 1, 32, 32, 6, 5, 1, 0}, {64, 6, 14, 14, 16, 5, 1, 0},
                    {1, 1, 224, 224, 96, 11, 4, 0}, {1, 96, 26, 26, 256, 5, 1, 2}};
            for (int[] c : convs) {
                String name = "conv n" + c[0] + " c" + c[1] + " " + c[2] + " -> o" + c[4] + " k" + c[5];
                if (!name.contains(only)) continue;
                Tensor x = Tensor.randn(g, c[0], c[1], c[2], c[3]), w = Tensor.randn(g, c[4], c[1], c[5], c[5]), b = Tensor.randn(g, c[4]);
                int oh = (c[2] + 2 * c[7] - c[5]) / c[6] + 1;
                double flops = 2.0 * c[0] * c[4] * c[1] * c[5] * c[5] * oh * oh;
                report(name, flops, time(() -> F.conv2d(x, w, b, new int[] {c[6]}, new int[] {c[7]}, new int[] {1}, 1), budget));
            }
            // LeNet's layers at batch 64, in forward order, each on the previous one's output shape
            if ("lenet".contains(only) || only.startsWith("lenet")) {
                Tensor x = Tensor.randn(g, 64, 1, 32, 32), w1 = Tensor.randn(g, 6, 1, 5, 5), b1 = Tensor.randn(g, 6);
                Tensor w2 = Tensor.randn(g, 16, 6, 5, 5), b2 = Tensor.randn(g, 16);
                Tensor f1 = Tensor.randn(g, 120, 400), f2 = Tensor.randn(g, 84, 120), f3 = Tensor.randn(g, 10, 84), fb = Tensor.randn(g, 120);
                Tensor c1 = F.conv2d(x, w1, b1), p1 = F.maxPool2d(c1.relu(), new int[] {2, 2}), c2 = F.conv2d(p1, w2, b2);
                Tensor p2 = F.maxPool2d(c2.relu(), new int[] {2, 2}).view(64, 400), h1 = F.linear(p2, f1, fb).relu();
                report("lenet conv1", 0, time(() -> F.conv2d(x, w1, b1), budget));
                report("lenet relu1", 0, time(c1::relu, budget));
                report("lenet pool1", 0, time(() -> F.maxPool2d(c1, new int[] {2, 2}), budget));
                report("lenet conv2", 0, time(() -> F.conv2d(p1, w2, b2), budget));
                report("lenet relu2+pool2", 0, time(() -> F.maxPool2d(c2.relu(), new int[] {2, 2}), budget));
                report("lenet fc1+relu", 0, time(() -> F.linear(p2, f1, fb).relu(), budget));
                report("lenet fc2,fc3", 0, time(() -> F.linear(F.linear(h1, f2, null).relu(), f3, null), budget));
            }
            int[][] mms = {{256, 2400, 5408}, {5408, 2400, 256}, {8, 6400, 4096}, {1024, 1024, 1024}};
            for (int[] m : mms) {
                String name = "mm " + m[0] + "x" + m[1] + "x" + m[2];
                if (!name.contains(only)) continue;
                Tensor a = Tensor.randn(g, m[0], m[1]), bb = Tensor.randn(g, m[1], m[2]);
                report(name, 2.0 * m[0] * m[1] * m[2], time(() -> a.mm(bb), budget));
            }
            for (int n : new int[] {1 << 10, 1 << 14, 1 << 16, 1 << 20}) {
                Tensor a = Tensor.randn(g, n), b = Tensor.randn(g, n);
                if (("add " + n).contains(only)) report("add " + n, 0, time(() -> a.add(b), budget));
                if (("relu " + n).contains(only)) report("relu " + n, 0, time(a::relu, budget));
                if (("sum " + n).contains(only)) report("sum " + n, 0, time(a::sum, budget));
                if (("gt " + n).contains(only)) report("gt " + n, 0, time(() -> a.gt(0.0), budget));
                if (("exp " + n).contains(only)) report("exp " + n, 0, time(a::exp, budget));
                if (("tanh " + n).contains(only)) report("tanh " + n, 0, time(a::tanh, budget));
                if (("sigmoid " + n).contains(only)) report("sigmoid " + n, 0, time(a::sigmoid, budget));
                if (("log " + n).contains(only)) report("log " + n, 0, time(() -> a.abs().log(), budget));
            }
        }
    }

    static void report(String name, double flops, double sec) {
        System.out.printf("%-36s %10.4f ms %s%n", name, sec * 1e3, flops > 0 ? String.format("%7.1f GFLOPS", flops / sec / 1e9) : "");
    }

    static double time(Supplier<Object> f, double budget) {
        return ModelBench.timeit(f, budget, budget);
    }
}

package dev.ember.nn;

import dev.ember.autograd.GradMode;
import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** The seed tutorials' models written with Ember's API, as a user would port them (same names, same tree). */
public final class SeedModels {
    private SeedModels() {}

    /** seed 003: {@code MLP} 784-256-10. */
    public static final class MLP extends Module {
        final Linear hidden = register("hidden", new Linear(784, 256));
        final ReLU act = register("act", new ReLU());
        final Linear output = register("output", new Linear(256, 10));

        @Override
        public Tensor forward(Tensor x) { return output.forward(act.forward(hidden.forward(x))); }
    }

    /** seed 004: the FashionMNIST classifier, flatten + 784-512-512-10. */
    public static final class NeuralNetwork extends Module {
        final Flatten flatten = register("flatten", new Flatten());
        final Sequential linearReluStack = register("linear_relu_stack", new Sequential(
                new Linear(28 * 28, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10)));

        @Override
        public Tensor forward(Tensor x) { return linearReluStack.forward(flatten.forward(x)); }
    }

    /** seeds 000/003: LeNet with its functional forward and num_flat_features. */
    public static final class Net extends Module {
        final Conv2d conv1 = register("conv1", new Conv2d(1, 6, 5));
        final Conv2d conv2 = register("conv2", new Conv2d(6, 16, 5));
        final Linear fc1 = register("fc1", new Linear(16 * 5 * 5, 120));
        final Linear fc2 = register("fc2", new Linear(120, 84));
        final Linear fc3 = register("fc3", new Linear(84, 10));

        @Override
        public Tensor forward(Tensor x) {
            x = F.maxPool2d(F.relu(conv1.forward(x)), new int[] {2, 2});
            x = F.maxPool2d(F.relu(conv2.forward(x)), 2);
            x = x.view(-1, numFlatFeatures(x));
            x = F.relu(fc1.forward(x));
            x = F.relu(fc2.forward(x));
            return fc3.forward(x);
        }

        int numFlatFeatures(Tensor x) {
            int[] size = x.size();
            int n = 1;
            for (int i = 1; i < size.length; i++) n *= size[i];
            return n;
        }
    }

    /** seed 003: the FashionMNIST AlexNet of bench/torch_baseline.py (1x224x224 input). */
    public static final class AlexNet extends Module {
        final Sequential conv = register("conv", new Sequential(
                new Conv2d(1, 96, 11, 4), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(96, 256, 5, 1, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(256, 384, 3, 1, 1), new ReLU(), new Conv2d(384, 384, 3, 1, 1), new ReLU(), new Conv2d(384, 256, 3, 1, 1), new ReLU(),
                new MaxPool2d(3, 2)));
        final Sequential fc = register("fc", new Sequential(
                new Linear(256 * 5 * 5, 4096), new ReLU(), new Dropout(0.5), new Linear(4096, 4096), new ReLU(), new Dropout(0.5), new Linear(4096, 10)));

        @Override
        public Tensor forward(Tensor img) { return fc.forward(conv.forward(img).view(img.size(0), -1)); }
    }

    /**
     * fx_nn_models.hash_init: parameter j (state_dict order), element i gets U(-b, b) from an integer hash, b = 1/sqrt(fan_in),
     * bit-exactly as the fixture script computes it.
     */
    static void hashInit(Module m) {
        StateDict sd = m.stateDict();
        int j = 0;
        try (var g = GradMode.noGrad()) {
            for (var e : sd.entrySet()) {
                Tensor p = e.getValue();
                Tensor w = p.dim() > 1 ? p : sd.get(e.getKey().replace("bias", "weight"));
                int fanIn = w.numel() / w.size(0);
                double b = 1.0 / Math.sqrt(fanIn);
                float[] v = new float[p.numel()];
                for (int i = 0; i < v.length; i++) {
                    long h = (i * 2654435761L + (j + 1) * 40503L) & 0xFFFFFFFFL;
                    v[i] = (float) ((2.0 * (h / 4294967296.0) - 1.0) * b);
                }
                p.copy_(Tensor.fromArray(v, p.shape()));
                j++;
            }
        }
    }
}

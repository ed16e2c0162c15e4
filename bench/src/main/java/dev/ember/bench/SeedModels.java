package dev.ember.bench;

import dev.ember.nn.Conv2d;
import dev.ember.nn.Dropout;
import dev.ember.nn.Flatten;
import dev.ember.nn.Linear;
import dev.ember.nn.MaxPool2d;
import dev.ember.nn.Module;
import dev.ember.nn.ReLU;
import dev.ember.nn.Sequential;
import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** The seed models exactly as /work/shared/bench/torch_baseline.py builds them, in Ember's nn. */
final class SeedModels {
    private SeedModels() {}

    /** seed 003: 784-256-10. */
    static final class MLP extends Module {
        final Linear hidden = register("hidden", new Linear(784, 256));
        final ReLU act = register("act", new ReLU());
        final Linear output = register("output", new Linear(256, 10));

        @Override
        public Tensor forward(Tensor x) { return output.forward(act.forward(hidden.forward(x))); }
    }

    /** seed 004: flatten + 784-512-512-10. */
    static final class FashionNet extends Module {
        final Flatten flatten = register("flatten", new Flatten());
        final Sequential linearReluStack = register("linear_relu_stack", new Sequential(
                new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10)));

        @Override
        public Tensor forward(Tensor x) { return linearReluStack.forward(flatten.forward(x)); }
    }

    /** seeds 000/003: LeNet on 1x32x32 with its functional forward. */
    static final class LeNet extends Module {
        final Conv2d conv1 = register("conv1", new Conv2d(1, 6, 5));
        final Conv2d conv2 = register("conv2", new Conv2d(6, 16, 5));
        final Linear fc1 = register("fc1", new Linear(400, 120));
        final Linear fc2 = register("fc2", new Linear(120, 84));
        final Linear fc3 = register("fc3", new Linear(84, 10));

        @Override
        public Tensor forward(Tensor x) {
            x = F.maxPool2d(F.relu(conv1.forward(x)), 2);
            x = F.maxPool2d(F.relu(conv2.forward(x)), 2);
            x = x.flatten(1);
            x = F.relu(fc1.forward(x));
            x = F.relu(fc2.forward(x));
            return fc3.forward(x);
        }
    }

    /** seed 003: the FashionMNIST AlexNet on 1x224x224. */
    static final class AlexNet extends Module {
        final Sequential conv = register("conv", new Sequential(
                new Conv2d(1, 96, 11, 4), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(96, 256, 5, 1, 2), new ReLU(), new MaxPool2d(3, 2),
                new Conv2d(256, 384, 3, 1, 1), new ReLU(), new Conv2d(384, 384, 3, 1, 1), new ReLU(), new Conv2d(384, 256, 3, 1, 1), new ReLU(),
                new MaxPool2d(3, 2)));
        final Sequential fc = register("fc", new Sequential(
                new Linear(6400, 4096), new ReLU(), new Dropout(0.5), new Linear(4096, 4096), new ReLU(), new Dropout(0.5), new Linear(4096, 10)));

        @Override
        public Tensor forward(Tensor img) { return fc.forward(conv.forward(img).view(img.size(0), -1)); }
    }
}

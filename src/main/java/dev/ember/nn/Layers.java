package dev.ember.nn;

import dev.ember.autograd.Autograd;
import dev.ember.nn.init.Init;
import dev.ember.tensor.Tensor;

import java.util.function.UnaryOperator;

/** Shared pieces of the built-in layers. */
final class Layers {
    private Layers() {}

    /** PyTorch's bias init for Linear and Conv: U(-1/√fan_in, 1/√fan_in), or 0 bound for an empty fan. */
    static void uniformBias(Tensor bias, Tensor weight) {
        int fanIn = Init.fanInAndFanOut(weight)[0];
        double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
        Init.uniform_(bias, -bound, bound);
    }

    /** An activation's {@code inplace=True}: computes on a copy when autograd records, then writes into x. */
    static Tensor inplace(Tensor x, UnaryOperator<Tensor> op) {
        Tensor src = Autograd.isRecording(x) ? x.clone() : x;
        return x.copy_(op.apply(src));
    }
}

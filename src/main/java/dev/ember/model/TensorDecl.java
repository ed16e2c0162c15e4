package dev.ember.model;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/**
 * A parameter or buffer a user-defined module (or a ParameterList/Dict) owns: its shape and dtype, whether it is
 * trained ({@code requires_grad}) or saved ({@code persistent}), and, for values the weights file does not hold
 * (non-persistent buffers), its data inline.
 */
record TensorDecl(int[] shape, DType dtype, boolean requiresGrad, boolean persistent, Tensor data) {
    long numel() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}

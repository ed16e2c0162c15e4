package dev.ember.autograd;

import dev.ember.tensor.Tensor;

/**
 * One op's backward rule, written in tensor ops so that it runs on every backend and can itself be
 * differentiated (double backward). Returns one gradient per forward input; null means "no gradient".
 */
@FunctionalInterface
public interface BackwardFn {
    Tensor[] apply(BackwardContext c);
}

package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/** The shape and dtype of each output a node recorded, for the zeros that stand in for a gradient it never received. */
final class OutputShapes {
    private final int[][] shapes;
    private final DType[] dtypes;

    OutputShapes(Tensor[] outputs) {
        shapes = new int[outputs.length][];
        dtypes = new DType[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] == null) continue;
            shapes[i] = outputs[i].shape();
            dtypes[i] = outputs[i].dtype();
        }
    }

    boolean has(int i) { return shapes[i] != null; }

    /** Zeros shaped as output {@code i}, of its dtype, or of {@code integerAs} when that dtype is not floating. */
    Tensor zeros(int i, DType integerAs) { return Tensor.zeros(shapes[i], dtypes[i].isFloatingPoint() || integerAs == null ? dtypes[i] : integerAs); }
}

package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * {@code nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0, bidirectional=False,
 * proj_size=0)} with PyTorch's gate order i, f, g, o. {@link #call} takes (input, [h0, c0]) or (input, h0, c0)
 * and returns [output, [h_n, c_n]], PyTorch's nesting.
 */
public class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, 1, true, false, 0, false, 0); }

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional, int projSize) {
        super("LSTM", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize);
    }

    /** {@code lstm(input, (h_0, c_0))}; both null means zeros. */
    public Result forward(Tensor input, Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null)) throw new IllegalArgumentException("LSTM expects both h_0 and c_0, or neither");
        return run(input, h0, c0);
    }

    @Override
    public Object call(Object... args) {
        Object[] flat = args;
        if (args.length == 2 && args[1] instanceof List<?> state) flat = new Object[] {args[0], state.get(0), state.get(1)};
        Result r = forward(tensorArg(flat, 0, typeName(), 3), tensorArg(flat, 1, typeName(), 3), tensorArg(flat, 2, typeName(), 3));
        return List.of(r.output(), List.of(r.h(), r.c()));
    }
}

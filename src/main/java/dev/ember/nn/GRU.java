package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * {@code nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0, bidirectional=False)}
 * with PyTorch's gate order r, z, n. {@link #call} returns [output, h_n].
 */
public class GRU extends RNNBase {
    public GRU(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, 1, true, false, 0, false); }

    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super("GRU", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0);
    }

    public Result forward(Tensor input, Tensor h0) { return run(input, h0, null); }

    @Override
    public Object call(Object... args) {
        Result r = forward(tensorArg(args, 0, typeName(), 2), tensorArg(args, 1, typeName(), 2));
        return List.of(r.output(), r.h());
    }
}

package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * {@code nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True, batch_first=False, dropout=0,
 * bidirectional=False)}: {@code h' = act(W_ih x + b_ih + W_hh h + b_hh)}. {@link #call} returns [output, h_n].
 */
public class RNN extends RNNBase {
    public final String nonlinearity;

    public RNN(int inputSize, int hiddenSize) { this(inputSize, hiddenSize, 1, "tanh", true, false, 0, false); }

    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super(modeOf(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, 0);
        this.nonlinearity = nonlinearity;
    }

    private static String modeOf(String nonlinearity) {
        return switch (nonlinearity) {
            case "tanh" -> "RNN_TANH";
            case "relu" -> "RNN_RELU";
            default -> throw new IllegalArgumentException("Unknown nonlinearity '" + nonlinearity + "'");
        };
    }

    /** {@code rnn(input, h_0)}; h0 null means zeros. */
    public Result forward(Tensor input, Tensor h0) { return run(input, h0, null); }

    @Override
    public Object call(Object... args) {
        Result r = forward(tensorArg(args, 0, typeName(), 2), tensorArg(args, 1, typeName(), 2));
        return List.of(r.output(), r.h());
    }
}

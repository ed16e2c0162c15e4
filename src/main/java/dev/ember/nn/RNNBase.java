package dev.ember.nn;

import dev.ember.nn.functional.Recurrent;
import dev.ember.nn.init.Init;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's {@code RNNBase}: stacked, optionally bidirectional recurrent layers with PyTorch's parameter names
 * and order ({@code weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, weight_ih_l0_reverse, ...}), gate
 * order (LSTM i, f, g, o; GRU r, z, n), initialisation U(±1/√hidden_size), dropout between layers in training,
 * batch_first and unbatched inputs. The input projection of a whole sequence is one matmul per layer.
 */
public abstract class RNNBase extends Module {
    public final String mode;
    public final int inputSize, hiddenSize, numLayers, projSize;
    public final boolean bias, batchFirst, bidirectional;
    public final double dropout;

    /** What a recurrent layer returns: the output sequence and the final hidden state (and cell state for LSTM). */
    public record Result(Tensor output, Tensor h, Tensor c) {}

    protected RNNBase(String mode, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional, int projSize) {
        if (dropout < 0 || dropout > 1)
            throw new IllegalArgumentException("dropout should be a number in range [0, 1] representing the probability of an element being zeroed");
        if (hiddenSize <= 0) throw new IllegalArgumentException("hidden_size must be greater than zero");
        if (numLayers <= 0) throw new IllegalArgumentException("num_layers must be greater than zero");
        if (projSize < 0) throw new IllegalArgumentException("proj_size should be a positive integer or zero to disable projections");
        if (projSize >= hiddenSize) throw new IllegalArgumentException("proj_size has to be smaller than hidden_size");
        if (projSize > 0 && !mode.equals("LSTM")) throw new IllegalArgumentException("proj_size argument is only supported for LSTM, not RNN or GRU");
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        this.projSize = projSize;
        int gate = gates() * hiddenSize, real = outputHidden(), dirs = directions();
        for (int layer = 0; layer < numLayers; layer++) {
            for (int d = 0; d < dirs; d++) {
                int in = layer == 0 ? inputSize : real * dirs;
                String sfx = "_l" + layer + (d == 1 ? "_reverse" : "");
                registerParameter("weight_ih" + sfx, Tensor.empty(gate, in));
                registerParameter("weight_hh" + sfx, Tensor.empty(gate, real));
                if (bias) {
                    registerParameter("bias_ih" + sfx, Tensor.empty(gate));
                    registerParameter("bias_hh" + sfx, Tensor.empty(gate));
                }
                if (projSize > 0) registerParameter("weight_hr" + sfx, Tensor.empty(projSize, hiddenSize));
            }
        }
        resetParameters();
    }

    private int gates() {
        return switch (mode) {
            case "LSTM" -> 4;
            case "GRU" -> 3;
            default -> 1;
        };
    }

    private int directions() { return bidirectional ? 2 : 1; }

    /** The size of h: proj_size when projecting, else hidden_size. */
    private int outputHidden() { return projSize > 0 ? projSize : hiddenSize; }

    public void resetParameters() {
        double stdv = hiddenSize > 0 ? 1 / Math.sqrt(hiddenSize) : 0;
        for (Parameter p : parameters()) Init.uniform_(p, -stdv, stdv);
    }

    /** Runs the sequence from zero states and returns the output sequence. */
    @Override
    public Tensor forward(Tensor input) { return run(input, null, null).output(); }

    /** Runs from the given initial states (null for zeros); {@code c0} only for LSTM. */
    protected Result run(Tensor input, Tensor h0, Tensor c0) {
        if (input.dim() != 2 && input.dim() != 3)
            throw new IllegalArgumentException(typeName() + ": Expected input to be 2D or 3D, got " + input.dim() + "D tensor instead");
        boolean batched = input.dim() == 3;
        Tensor x = batched ? (batchFirst ? input.transpose(0, 1) : input) : input.unsqueeze(1);
        if (x.size(2) != inputSize)
            throw new IllegalArgumentException("input.size(-1) must be equal to input_size. Expected " + inputSize + ", got " + x.size(2));
        int n = x.size(1), dirs = directions(), outH = outputHidden();
        int[] hShape = {numLayers * dirs, n, outH}, cShape = {numLayers * dirs, n, hiddenSize};
        boolean lstm = mode.equals("LSTM");
        Tensor h = prepareState(h0, hShape, batched, x, lstm ? "hidden[0]" : "hidden");
        Tensor c = lstm ? prepareState(c0, cShape, batched, x, "hidden[1]") : null;
        Recurrent.Result r = Recurrent.run(mode, x, h, c, flatWeights(), bias, numLayers, dropout, isTraining(), bidirectional);
        Tensor out = r.output(), hOut = r.h(), cOut = r.c();
        if (!batched) return new Result(out.squeeze(1), hOut.squeeze(1), cOut == null ? null : cOut.squeeze(1));
        return new Result(batchFirst ? out.transpose(0, 1) : out, hOut, cOut);
    }

    private static Tensor prepareState(Tensor s, int[] shape, boolean batched, Tensor x, String what) {
        if (s == null) return Tensor.zeros(shape, x.dtype()).to(x.device());
        if (batched && s.dim() != 3)
            throw new IllegalArgumentException("For batched 3-D input, hx and cx should also be 3-D but got (" + s.dim() + "-D, " + s.dim() + "-D) tensors");
        if (!batched && s.dim() != 2)
            throw new IllegalArgumentException("For unbatched 2-D input, hx and cx should also be 2-D but got (" + s.dim() + "-D, " + s.dim() + "-D) tensors");
        Tensor t = batched ? s : s.unsqueeze(1);
        if (!Arrays.equals(t.shape(), shape)) {
            int[] expected = batched ? shape : new int[] {shape[0], shape[2]};
            throw new IllegalArgumentException("Expected " + what + " size " + Repr.tuple(expected) + ", got " + Arrays.toString(s.shape()));
        }
        return t;
    }

    /** The parameters in PyTorch's {@code _flat_weights} order, the order {@link Recurrent#run} takes them in. */
    private List<Tensor> flatWeights() {
        List<Tensor> w = new ArrayList<>();
        for (int layer = 0; layer < numLayers; layer++) {
            for (int d = 0; d < directions(); d++) {
                String sfx = "_l" + layer + (d == 1 ? "_reverse" : "");
                w.add(param("weight_ih" + sfx));
                w.add(param("weight_hh" + sfx));
                if (bias) {
                    w.add(param("bias_ih" + sfx));
                    w.add(param("bias_hh" + sfx));
                }
                if (projSize > 0) w.add(param("weight_hr" + sfx));
            }
        }
        return w;
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (projSize != 0) s.append(", proj_size=").append(projSize);
        if (numLayers != 1) s.append(", num_layers=").append(numLayers);
        if (!bias) s.append(", bias=False");
        if (batchFirst) s.append(", batch_first=True");
        if (dropout != 0) s.append(", dropout=").append(Repr.pyFloat(dropout));
        if (bidirectional) s.append(", bidirectional=True");
        return s.toString();
    }
}

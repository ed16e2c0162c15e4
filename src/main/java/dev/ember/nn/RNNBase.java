package dev.ember.nn;

import dev.ember.nn.functional.F;
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
        List<Tensor> hn = new ArrayList<>(), cn = new ArrayList<>();
        Tensor layerIn = x;
        for (int layer = 0; layer < numLayers; layer++) {
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                int k = layer * dirs + d;
                Tensor[] r = direction(layerIn, layer, d == 1, h.select(0, k), c == null ? null : c.select(0, k));
                outs.add(r[0]);
                hn.add(r[1]);
                if (c != null) cn.add(r[2]);
            }
            layerIn = dirs == 1 ? outs.get(0) : Tensor.cat(outs, 2);
            if (dropout > 0 && isTraining() && layer < numLayers - 1) layerIn = F.dropout(layerIn, dropout, true);
        }
        Tensor out = layerIn, hOut = Tensor.stack(hn, 0), cOut = c == null ? null : Tensor.stack(cn, 0);
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

    /** One layer in one direction over [T, N, in]: returns [output [T, N, H], h_T, c_T]. */
    private Tensor[] direction(Tensor x, int layer, boolean reverse, Tensor h, Tensor c) {
        String sfx = "_l" + layer + (reverse ? "_reverse" : "");
        Parameter wih = param("weight_ih" + sfx), whh = param("weight_hh" + sfx);
        Parameter bih = bias ? param("bias_ih" + sfx) : null, bhh = bias ? param("bias_hh" + sfx) : null;
        Parameter whr = projSize > 0 ? param("weight_hr" + sfx) : null;
        int t = x.size(0), n = x.size(1);
        Tensor xg = F.linear(x.reshape(t * n, x.size(2)), wih, bih).view(t, n, -1);
        Tensor[] outs = new Tensor[t];
        for (int s = 0; s < t; s++) {
            int step = reverse ? t - 1 - s : s;
            Tensor gi = xg.select(0, step), gh = F.linear(h, whh, bhh);
            switch (mode) {
                case "RNN_TANH" -> h = gi.add(gh).tanh();
                case "RNN_RELU" -> h = gi.add(gh).relu();
                case "LSTM" -> {
                    List<Tensor> g = gi.add(gh).chunk(4, 1);
                    Tensor i = g.get(0).sigmoid(), f = g.get(1).sigmoid(), cand = g.get(2).tanh(), o = g.get(3).sigmoid();
                    c = f.mul(c).add(i.mul(cand));
                    h = o.mul(c.tanh());
                    if (whr != null) h = F.linear(h, whr);
                }
                case "GRU" -> {
                    List<Tensor> a = gi.chunk(3, 1), b = gh.chunk(3, 1);
                    Tensor r = a.get(0).add(b.get(0)).sigmoid(), z = a.get(1).add(b.get(1)).sigmoid();
                    Tensor nn = a.get(2).add(r.mul(b.get(2))).tanh();
                    h = z.rsub(1.0).mul(nn).add(z.mul(h));
                }
                default -> throw new IllegalStateException("Unknown recurrent mode " + mode);
            }
            outs[step] = h;
        }
        return new Tensor[] {Tensor.stack(Arrays.asList(outs), 0), h, c};
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

package dev.ember.nn.functional;

import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The recurrent layers' computation as ATen's {@code rnn_tanh}, {@code rnn_relu}, {@code lstm} and {@code gru}
 * take it: a sequence-first input, initial states for every layer and direction, and the flat weight list in
 * PyTorch's order (per layer, per direction: {@code w_ih, w_hh[, b_ih, b_hh][, w_hr]}). {@code nn.RNN/LSTM/GRU} run
 * their own parameters through it, and graphs exported by torch.export call it directly.
 */
public final class Recurrent {
    private Recurrent() {}

    /** The output sequence {@code [T, N, D*H]} and final states {@code [L*D, N, H]} ({@code c} only for LSTM). */
    public record Result(Tensor output, Tensor h, Tensor c) {}

    /**
     * Runs {@code mode} ({@code RNN_TANH}, {@code RNN_RELU}, {@code LSTM}, {@code GRU}) over {@code x [T, N, in]}
     * from {@code h [L*D, N, H_out]} and, for LSTM, {@code c [L*D, N, H]}; dropout between layers when {@code train}.
     */
    public static Result run(String mode, Tensor x, Tensor h, Tensor c, List<Tensor> params, boolean hasBiases, int numLayers, double dropout,
                             boolean train, boolean bidirectional) {
        int dirs = bidirectional ? 2 : 1, perDirection = params.size() / (numLayers * dirs);
        int expected = 2 + (hasBiases ? 2 : 0);
        if (params.size() % (numLayers * dirs) != 0 || (perDirection != expected && perDirection != expected + 1))
            throw new IllegalArgumentException(mode.toLowerCase() + ": expected " + expected * numLayers * dirs + " weights for " + numLayers + " layer(s) and "
                    + dirs + " direction(s), got " + params.size());
        boolean projected = perDirection == expected + 1;
        List<Tensor> hn = new ArrayList<>(), cn = new ArrayList<>();
        Tensor layerIn = x;
        for (int layer = 0; layer < numLayers; layer++) {
            List<Tensor> outs = new ArrayList<>();
            for (int d = 0; d < dirs; d++) {
                int k = layer * dirs + d, base = k * perDirection;
                Tensor wih = params.get(base), whh = params.get(base + 1);
                Tensor bih = hasBiases ? params.get(base + 2) : null, bhh = hasBiases ? params.get(base + 3) : null;
                Tensor whr = projected ? params.get(base + perDirection - 1) : null;
                Tensor[] r = direction(mode, layerIn, d == 1, h.select(0, k), c == null ? null : c.select(0, k), wih, whh, bih, bhh, whr);
                outs.add(r[0]);
                hn.add(r[1]);
                if (c != null) cn.add(r[2]);
            }
            layerIn = dirs == 1 ? outs.get(0) : Tensor.cat(outs, 2);
            if (dropout > 0 && train && layer < numLayers - 1) layerIn = F.dropout(layerIn, dropout, true);
        }
        return new Result(layerIn, Tensor.stack(hn, 0), c == null ? null : Tensor.stack(cn, 0));
    }

    /**
     * One step of a cell ({@code nn.RNNCell}, {@code LSTMCell}, {@code GRUCell}, ATen's {@code *_cell} ops): the new
     * {@code [h, c]} ({@code c} null except for LSTM) from input {@code x [N, in]} and state {@code h}, {@code c}.
     */
    public static Tensor[] cell(String mode, Tensor x, Tensor h, Tensor c, Tensor wih, Tensor whh, Tensor bih, Tensor bhh) {
        return step(mode, F.linear(x, wih, bih), F.linear(h, whh, bhh), h, c, null);
    }

    /** The gate arithmetic of one step, given the input and hidden projections {@code gi} and {@code gh}. */
    private static Tensor[] step(String mode, Tensor gi, Tensor gh, Tensor h, Tensor c, Tensor whr) {
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
        return new Tensor[] {h, c};
    }

    /** One layer in one direction over [T, N, in]: [output [T, N, H], h_T, c_T]; the input projection of all steps is one matmul. */
    private static Tensor[] direction(String mode, Tensor x, boolean reverse, Tensor h, Tensor c, Tensor wih, Tensor whh, Tensor bih, Tensor bhh, Tensor whr) {
        int t = x.size(0), n = x.size(1);
        Tensor xg = F.linear(x.reshape(t * n, x.size(2)), wih, bih).view(t, n, -1);
        Tensor[] outs = new Tensor[t];
        for (int s = 0; s < t; s++) {
            int step = reverse ? t - 1 - s : s;
            Tensor[] hc = step(mode, xg.select(0, step), F.linear(h, whh, bhh), h, c, whr);
            h = hc[0];
            c = hc[1];
            outs[step] = h;
        }
        return new Tensor[] {Tensor.stack(Arrays.asList(outs), 0), h, c};
    }
}

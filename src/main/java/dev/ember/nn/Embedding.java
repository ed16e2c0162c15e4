package dev.ember.nn;

import dev.ember.autograd.GradMode;
import dev.ember.nn.functional.F;
import dev.ember.nn.init.Init;
import dev.ember.tensor.Tensor;

/**
 * {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0)}: weight
 * from N(0, 1) with the padding row zeroed; the padding row gets no gradient. With max_norm, looked-up rows
 * are renormalised in place first, as PyTorch does.
 */
public class Embedding extends Module {
    public final int numEmbeddings, embeddingDim;
    public final Integer paddingIdx;
    public final Double maxNorm;
    public final double normType;

    public Embedding(int numEmbeddings, int embeddingDim) { this(numEmbeddings, embeddingDim, null, null, 2.0); }

    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) { this(numEmbeddings, embeddingDim, paddingIdx, null, 2.0); }

    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Double maxNorm, double normType) {
        Integer pad = paddingIdx;
        if (pad != null) {
            if (pad >= numEmbeddings || pad < -numEmbeddings) throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
            if (pad < 0) pad += numEmbeddings;
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = pad;
        this.maxNorm = maxNorm;
        this.normType = normType;
        registerParameter("weight", Tensor.empty(numEmbeddings, embeddingDim));
        resetParameters();
    }

    /** {@code Embedding.from_pretrained(embeddings, freeze=True, padding_idx=None)}. */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze, Integer paddingIdx) {
        if (embeddings.dim() != 2) throw new IllegalArgumentException("Embeddings parameter is expected to be 2-dimensional");
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1), paddingIdx);
        try (var g = GradMode.noGrad()) {
            e.weight().copy_(embeddings);
        }
        e.weight().requiresGrad_(!freeze);
        return e;
    }

    public Parameter weight() { return param("weight"); }

    public void resetParameters() {
        Init.normal_(weight(), 0, 1);
        if (paddingIdx != null) {
            try (var g = GradMode.noGrad()) {
                weight().select(0, paddingIdx).fill_(0);
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        if (maxNorm != null) renorm(input);
        return F.embedding(input, weight(), paddingIdx);
    }

    /** embedding_renorm_: rows whose norm exceeds max_norm are scaled to max_norm / (norm + 1e-7). */
    private void renorm(Tensor input) {
        try (var g = GradMode.noGrad()) {
            long[] idx = input.reshape(-1).toLongArray();
            java.util.Set<Long> seen = new java.util.TreeSet<>();
            for (long i : idx) seen.add(i);
            for (long i : seen) {
                Tensor row = weight().select(0, (int) i);
                double norm = row.norm(normType).item();
                if (norm > maxNorm) row.mul_(maxNorm / (norm + 1e-7));
            }
        }
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(numEmbeddings).append(", ").append(embeddingDim);
        if (paddingIdx != null) s.append(", padding_idx=").append(paddingIdx);
        if (maxNorm != null) s.append(", max_norm=").append(Repr.pyFloat(maxNorm));
        if (normType != 2) s.append(", norm_type=").append(Repr.pyFloat(normType));
        return s.toString();
    }
}

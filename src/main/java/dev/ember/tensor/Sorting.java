package dev.ember.tensor;

import dev.ember.tensor.Tensor.ValuesIndices;

/** {@code sort}, {@code argsort}, {@code topk} with their backward rules. */
final class Sorting {
    private Sorting() {}

    static ValuesIndices sort(Tensor t, int dim, boolean descending, boolean stable) { throw Reductions.notYet("sort"); }

    static ValuesIndices topk(Tensor t, int k, int dim, boolean largest, boolean sorted) { throw Reductions.notYet("topk"); }
}

package dev.ember.tensor;

/** Matrix products ({@code matmul} with PyTorch's broadcasting rules, mm, bmm, addmm, dot, outer, mv). */
final class Linalg {
    private Linalg() {}

    static Tensor matmul(Tensor a, Tensor b) { throw Reductions.notYet("matmul"); }

    static Tensor matmulOut(Tensor a, Tensor b, Tensor out) { throw Reductions.notYet("matmul(out=)"); }

    static Tensor mm(Tensor a, Tensor b) { throw Reductions.notYet("mm"); }

    static Tensor bmm(Tensor a, Tensor b) { throw Reductions.notYet("bmm"); }

    static Tensor mv(Tensor a, Tensor v) { throw Reductions.notYet("mv"); }

    static Tensor dot(Tensor a, Tensor b) { throw Reductions.notYet("dot"); }

    static Tensor outer(Tensor a, Tensor b) { throw Reductions.notYet("outer"); }

    static Tensor addmm(Tensor input, Tensor m1, Tensor m2, double beta, double alpha) { throw Reductions.notYet("addmm"); }
}

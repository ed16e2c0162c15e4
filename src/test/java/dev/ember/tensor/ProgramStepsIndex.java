package dev.ember.tensor;

import dev.ember.testing.Kw;

import java.util.Arrays;
import java.util.List;

import static dev.ember.tensor.ProgramSteps.op;

/**
 * The steps of tools/fixtures/program_steps_index.py (put, masked_scatter, the view scatters, narrow_copy, cdist,
 * matrix_power, multi_dot/chain_matmul, linalg det/slogdet/logdet/inv/solve), registered into {@link ProgramSteps}'
 * table as that file adds them to program_ops.PY.
 */
final class ProgramStepsIndex {
    private ProgramStepsIndex() {}

    static void register() {
        op("put", (a, k) -> a[0].put(a[1], a[2], k.b("accumulate")));
        op("put_", (a, k) -> a[0].put_(a[1], a[2], k.b("accumulate")));
        op("masked_scatter", (a, k) -> a[0].maskedScatter(a[1], a[2]));
        op("masked_scatter_", (a, k) -> a[0].maskedScatter_(a[1], a[2]));
        op("select_scatter", (a, k) -> a[0].selectScatter(a[1], k.i("dim"), k.i("index")));
        op("slice_scatter", (a, k) -> a[0].sliceScatter(a[1], k.i("dim"), integer(k, "start"), integer(k, "end"), k.i("step")));
        op("diagonal_scatter", (a, k) -> a[0].diagonalScatter(a[1], k.i("offset"), k.i("dim1"), k.i("dim2")));
        op("narrow_copy", (a, k) -> a[0].narrowCopy(k.i("dim"), k.i("start"), k.i("length")));
        op("cdist", (a, k) -> Tensor.cdist(a[0], a[1], k.s("p").equals("inf") ? Double.POSITIVE_INFINITY : k.d("p"), k.s("mode")));
        op("matrix_power", (a, k) -> a[0].matrixPower(k.i("n")));
        op("multi_dot", (a, k) -> Tensor.multiDot(Arrays.asList(a)));
        op("chain_matmul", (a, k) -> Tensor.chainMatmul(a));
        op("det", (a, k) -> a[0].det());
        op("slogdet", (a, k) -> {
            Tensor.SignLogAbsDet s = a[0].slogdet();
            return List.of(s.sign(), s.logabsdet());
        });
        op("logdet", (a, k) -> a[0].logdet());
        op("inv", (a, k) -> a[0].inverse());
        op("solve", (a, k) -> a[0].solve(a[1]));
    }

    private static Integer integer(Kw k, String name) { return k.has(name) ? k.i(name) : null; }
}

package dev.ember.tensor;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.HostStorage;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MemoryScope}: what it releases, what it keeps, that reuse never shows one tensor's data to another. */
class MemoryScopeTest {
    private static final int BIG = 1 << 16; // 256 KB of float32: above the pool's minimum
    private static final String RELEASED = "this tensor's memory was released when the MemoryScope it was created in closed";

    private static float[] array(Tensor t) { return ((HostStorage) t.storage()).floats(); }

    @Test
    void tensorsMadeInsideAreReleasedAndEveryUseThrows() {
        Tensor a = Tensor.randn(new Generator(1), BIG), inside, view;
        try (MemoryScope scope = MemoryScope.open()) {
            inside = a.add(1.0);
            view = inside.view(256, 256).t();
        }
        assertThat(a.sum().item()).isFinite(); // made outside: untouched
        assertThatThrownBy(inside::sum).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(RELEASED);
        assertThatThrownBy(view::toString).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(RELEASED);
        assertThatThrownBy(() -> inside.add_(1.0)).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(RELEASED);
    }

    @Test
    void keptTensorsAndTheirViewsOutliveTheScope() {
        Tensor x = Tensor.arange((double) BIG), kept, keptView, gone;
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor y = x.mul(2.0);
            keptView = y.narrow(0, 10, 3);
            kept = scope.keep(y);
            gone = x.mul(3.0);
        }
        assertThat(keptView.toFloatArray()).containsExactly(20f, 22f, 24f);
        assertThat(kept.sum().item()).isEqualTo(2.0 * BIG * (BIG - 1) / 2);
        assertThat(gone.storage().isReleased()).isTrue();
    }

    @Test
    void opsOnOuterTensorsInsideAScopeLeaveThemAlive() {
        Tensor x = Tensor.ones(BIG), v;
        try (MemoryScope scope = MemoryScope.open()) {
            x.mul_(2.0);            // in place on an outer tensor
            v = x.view(-1, 4);      // a view of outer storage: no new storage
            x.add(1.0).relu();      // temporaries
        }
        assertThat(v.sum().item()).isEqualTo(2.0 * BIG);
        assertThat(x.storage().isReleased()).isFalse();
    }

    @Test
    void nestedScopesPassKeptTensorsOutward() {
        Tensor x = Tensor.ones(BIG), inner;
        try (MemoryScope outer = MemoryScope.open()) {
            try (MemoryScope in = MemoryScope.open()) {
                inner = in.keep(x.add(1.0));
            }
            assertThat(inner.sum().item()).isEqualTo(2.0 * BIG); // alive in the outer scope
        }
        assertThat(inner.storage().isReleased()).isTrue(); // the outer scope did not keep it
    }

    @Test
    void releasedMemoryIsReusedAndZeroFilledWhereZerosAreAsked() {
        float[] old;
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor t = Tensor.ones(BIG).mul(7.0);
            old = array(t);
        }
        Tensor z = Tensor.zeros(BIG);
        assertThat(array(z)).isSameAs(old); // the pool gave it back
        assertThat(z.sum().item()).isZero(); // zeros are zeros though the array held sevens
        try (MemoryScope scope = MemoryScope.open()) {
            z = scope.keep(Tensor.ones(BIG).add(Tensor.ones(BIG)));
        }
        assertThat(z.min().item()).isEqualTo(2.0); // an op writing every element into reused memory
    }

    @Test
    void matmulWritesEveryElementOfReusedMemory() {
        // the product's output is not zeroed first, so a pooled array full of NaN must not show through
        Generator g = new Generator(5);
        int n = 128; // 64 KiB of float32: the smallest array the pool keeps
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            Tensor a = Tensor.randn(g, new int[] {n, n}, DType.FLOAT64).mul(4).to(dt), b = Tensor.randn(g, new int[] {n, n}, DType.FLOAT64).mul(4).to(dt);
            Tensor expected = a.matmul(b);
            for (int round = 0; round < 2; round++) {
                try (MemoryScope scope = MemoryScope.open()) {
                    Tensor.full(new int[] {n, n}, dt == DType.INT64 ? -1 : Double.NaN, dt).add(0);
                }
                try (MemoryScope scope = MemoryScope.open()) {
                    assertThat(a.matmul(b).equal(expected)).as("%s round %d", dt, round).isTrue();
                }
            }
        }
    }

    @Test
    void aCallersArrayIsNeverHandedToAnotherTensor() {
        float[] mine = new float[BIG];
        Arrays.fill(mine, 5f);
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor t = Tensor.fromArray(mine, BIG);
            t.add(1.0);
        }
        for (int i = 0; i < 4; i++) assertThat(array(Tensor.ones(BIG).mul(3.0))).isNotSameAs(mine);
        assertThat(mine).containsOnly(5f);
    }

    @Test
    void reuseGivesTheSameNumbersAsFreshMemory() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 64, 1, 28, 28), w = Tensor.randn(g, 6, 1, 5, 5), fc = Tensor.randn(g, 6 * 24 * 24, 10);
        Tensor expected = chain(x, w, fc);
        for (int round = 0; round < 3; round++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor got = chain(x, w, fc);
                assertThat(got.toFloatArray()).containsExactly(expected.toFloatArray());
            }
        }
    }

    private static Tensor chain(Tensor x, Tensor w, Tensor fc) {
        try (var ng = GradMode.noGrad()) {
            Tensor h = dev.ember.nn.functional.F.conv2d(x, w).relu().add(0.5).exp().log();
            return Tensor.cat(java.util.List.of(h.flatten(1).matmul(fc).softmax(-1), h.flatten(1).sum(1, true)), 1);
        }
    }

    @Test
    void backwardAfterTheScopeClosedSaysWhy() {
        Tensor w = Tensor.randn(new Generator(1), BIG).requiresGrad_(true), loss;
        try (MemoryScope scope = MemoryScope.open()) {
            loss = scope.keep(w.exp().sum()); // exp's saved result is released with the scope
        }
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(RELEASED);
    }

    @Test
    void scopesBelongToTheirThreadAndCloseInOrder() throws Exception {
        MemoryScope outer = MemoryScope.open();
        MemoryScope inner = MemoryScope.open();
        assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("still open");
        inner.close();
        CompletableFuture<Void> other = CompletableFuture.runAsync(outer::close);
        assertThatThrownBy(other::get).isInstanceOf(ExecutionException.class).hasMessageContaining("belongs to the thread that opened it");
        outer.close();
        outer.close(); // idempotent
        assertThatThrownBy(() -> outer.keep(Tensor.ones(1))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void keepingAReleasedTensorFails() {
        Tensor t;
        try (MemoryScope s = MemoryScope.open()) {
            t = Tensor.ones(4).add(1.0);
        }
        try (MemoryScope s = MemoryScope.open()) {
            assertThatThrownBy(() -> s.keep(t)).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(RELEASED);
        }
    }
}

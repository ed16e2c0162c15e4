package dev.ember.tensor.spi;

import dev.ember.tensor.DType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool's bounds: what it keeps, how much, and what it drops first. */
class HostArrayPoolTest {
    private static final int MB = 1 << 20;

    @BeforeEach
    @AfterEach
    void empty() { HostArrayPool.clear(); }

    @Test
    void smallArraysAreLeftToTheCollector() {
        HostArrayPool.give(new float[HostArrayPool.MIN_BYTES / 4 - 1]);
        assertThat(HostArrayPool.pooledBytes()).isZero();
    }

    @Test
    void givesBackTheSameTypeAndLengthOnly() {
        float[] a = new float[MB / 4];
        HostArrayPool.give(a);
        assertThat(HostArrayPool.take(DType.INT32, MB / 4, false)).isNull(); // same bytes, other type
        assertThat(HostArrayPool.take(DType.FLOAT32, MB / 4 + 1, false)).isNull();
        assertThat(HostArrayPool.take(DType.FLOAT32, MB / 4, false)).isSameAs(a);
        assertThat(HostArrayPool.take(DType.FLOAT32, MB / 4, false)).isNull();
    }

    @Test
    void zeroFillsWhenAsked() {
        int[] a = new int[MB / 4];
        java.util.Arrays.fill(a, 9);
        HostArrayPool.give(a);
        assertThat((int[]) HostArrayPool.take(DType.INT32, MB / 4, true)).isSameAs(a).containsOnly(0);
    }

    @Test
    void keepsAFewArraysPerSize() {
        for (int i = 0; i < HostArrayPool.PER_SIZE + 3; i++) HostArrayPool.give(new byte[MB]);
        assertThat(HostArrayPool.pooledBytes()).isEqualTo((long) HostArrayPool.PER_SIZE * MB);
    }

    @Test
    void theSmallBudgetHoldsAndDropsTheLeastRecentlyUsedSizesFirst() {
        long budget = HostArrayPool.SMALL_BUDGET;
        int sizes = (int) (budget / MB) + 8;
        for (int i = 0; i < sizes; i++) HostArrayPool.give(new byte[MB + i]);
        assertThat(HostArrayPool.pooledBytes()).isLessThanOrEqualTo(budget).isGreaterThan(budget - 2L * MB);
        assertThat(HostArrayPool.take(DType.UINT8, MB, false)).isNull();                // the oldest size went
        assertThat(HostArrayPool.take(DType.UINT8, MB + sizes - 1, false)).isNotNull(); // the newest stayed
    }

    @Test
    void largeArraysHaveTheirOwnBudget() {
        HostArrayPool.give(new float[HostArrayPool.LARGE_BYTES / 4]);
        for (int i = 0; i < HostArrayPool.SMALL_BUDGET / MB; i++) HostArrayPool.give(new byte[MB + i]);
        assertThat(HostArrayPool.take(DType.FLOAT32, HostArrayPool.LARGE_BYTES / 4, false)).isNotNull();
    }
}

package dev.ember.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CacheLinesTest {
    @Test
    void leadReachesTheNextBoundaryAndRepeatsEveryLine() {
        for (int i = 0; i < 100; i++) {
            int lead = CacheLines.lead(i);
            assertTrue(lead >= 0 && lead < CacheLines.FLOATS, "lead(" + i + ") = " + lead);
            assertEquals(0, CacheLines.lead(i + lead), "a boundary is its own next boundary");
            assertEquals(lead, CacheLines.lead(i + CacheLines.FLOATS));
        }
    }

    @Test
    void forRangeCoversEveryElementOnceWithChunksOnBoundaries() {
        int[] sizes = {0, 1, 5, 16, 17, 1000, Parallel.GRAIN - 3, 2 * Parallel.GRAIN + 7, 5 * Parallel.GRAIN + 13};
        for (int start = 0; start < 20; start++) {
            for (int n : sizes) {
                int s = start;
                List<int[]> pieces = Collections.synchronizedList(new ArrayList<>());
                CacheLines.forRange(s, n, (from, to) -> pieces.add(new int[] {from, to}));
                pieces.sort((p, q) -> Integer.compare(p[0], q[0]));
                int next = 0;
                for (int[] p : pieces) {
                    assertEquals(next, p[0], "start " + s + ", n " + n + ": pieces must tile [0, n)");
                    assertTrue(p[1] > p[0], "no empty piece");
                    if (p[0] > 0) assertEquals(0, CacheLines.lead(s + p[0]), "a piece after the head begins on a line");
                    next = p[1];
                }
                assertEquals(n, next);
            }
        }
    }

    @Test
    void sumFromEveryStartWithinALineMatchesADoubleSum() {
        SplittableRandom r = new SplittableRandom(7);
        float[] a = new float[3 * 4096 + 40];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int start = 0; start < 20; start++) {
            for (int n : new int[] {0, 1, 15, 16, 100, 4096, a.length - start}) {
                double want = 0;
                for (int i = 0; i < n; i++) want += a[start + i];
                assertEquals(want, FloatVectors.sum(a, start, n), 1e-4, "start " + start + ", n " + n);
            }
        }
    }
}

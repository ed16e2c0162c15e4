package dev.ember.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
}

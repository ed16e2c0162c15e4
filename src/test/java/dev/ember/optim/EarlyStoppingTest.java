package dev.ember.optim;

import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EarlyStopping against the tutorial's hand-written loop (best_loss, early_stop_count, >= early_stop). */
class EarlyStoppingTest {

    /** Tutorial 001's loop, verbatim in Java: returns the epoch it halts at (or -1) and the saving epochs. */
    static int tutorialLoop(double[] validLosses, int earlyStop, List<Integer> saved) {
        double bestLoss = Double.POSITIVE_INFINITY;
        int earlyStopCount = 0;
        for (int epoch = 0; epoch < validLosses.length; epoch++) {
            if (validLosses[epoch] < bestLoss) {
                bestLoss = validLosses[epoch];
                saved.add(epoch);
                earlyStopCount = 0;
            } else {
                earlyStopCount++;
            }
            if (earlyStopCount >= earlyStop) return epoch;
        }
        return -1;
    }

    @Test
    void behavesLikeTheTutorialsLoop() {
        double[] losses = {1.0, 0.8, 0.8, 0.9, 0.7, 0.71, 0.72, 0.75, 0.69, 0.7, 0.7, 0.7, 0.7};
        for (int patience : new int[] {1, 2, 3, 4, 10}) {
            List<Integer> saved = new ArrayList<>();
            int halt = tutorialLoop(losses, patience, saved);
            EarlyStopping stopper = new EarlyStopping(patience);
            List<Integer> improvedAt = new ArrayList<>();
            int stoppedAt = -1;
            for (int epoch = 0; epoch < losses.length; epoch++) {
                boolean stop = stopper.step(losses[epoch]);
                if (stopper.improved()) improvedAt.add(epoch);
                if (stop) {
                    stoppedAt = epoch;
                    break;
                }
            }
            assertEquals(halt, stoppedAt, "patience " + patience);
            assertEquals(saved, improvedAt, "patience " + patience);
            assertEquals(saved.getLast(), stopper.bestEpoch());
        }
    }

    @Test
    void keepsACopyOfTheBestState() {
        Tensor w = Tensor.of(1f, 2f);
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("w", w);
        EarlyStopping stopper = new EarlyStopping(2, 0.0, "min", () -> model);
        stopper.step(0.5);
        w.fill_(7);
        stopper.step(0.6);
        assertArrayEquals(new float[] {1, 2}, stopper.bestState().get("w").toFloatArray(), "the snapshot does not follow later updates");
        stopper.step(0.4);
        assertArrayEquals(new float[] {7, 7}, stopper.bestState().get("w").toFloatArray());
        assertEquals(0.4, stopper.best());
    }

    @Test
    void maxModeAndMinDelta() {
        EarlyStopping stopper = new EarlyStopping(2, 0.05, "max", null);
        assertFalse(stopper.step(0.5));
        assertFalse(stopper.step(0.54));
        assertFalse(stopper.improved(), "0.04 is not more than min_delta");
        assertTrue(stopper.step(0.55));
        assertEquals(0.5, stopper.best());
        assertEquals(2, stopper.counter());
        assertNull(stopper.bestState());
    }

    @Test
    void nanNeverImproves() {
        EarlyStopping stopper = new EarlyStopping(1);
        assertTrue(stopper.step(Double.NaN));
        assertEquals(Double.POSITIVE_INFINITY, stopper.best());
        assertEquals(-1, stopper.bestEpoch());
    }

    @Test
    void acceptsALossTensor() {
        EarlyStopping stopper = new EarlyStopping(3);
        stopper.step(Tensor.scalar(0.25));
        assertEquals(0.25, stopper.best());
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(-1));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, -0.1, "min", null));
        var e = assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(1, 0, "lowest", null));
        assertEquals("mode lowest is unknown!", e.getMessage());
    }
}

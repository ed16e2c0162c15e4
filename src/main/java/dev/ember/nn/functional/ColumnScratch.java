package dev.ember.nn.functional;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.HostStorage;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Reused float32 column buffers for convolution. A conv's im2col columns live only until the GEMM that reads
 * them returns (the backward recomputes them from the saved input), yet each call used to allocate a fresh,
 * zero-filled array of several MB: on a JVM that is fresh memory to zero and, on a VM, to fault in, every call.
 * A scope hands out buffers from a small pool and returns them when it closes; im2col overwrites every
 * element, so a buffer needs no zeroing.
 *
 * <p>Only with grad mode off, where no autograd node can keep the columns (the forward always runs so; a
 * backward does unless create_graph); and only on the CPU's heap arrays. Anything else gets a fresh buffer.
 * The pool keeps at most {@link #KEEP} buffers, softly, so that a memory-tight heap can take them back.
 */
final class ColumnScratch implements AutoCloseable {
    private static final int KEEP = 4;
    private static final List<SoftReference<float[]>> POOL = new ArrayList<>();

    private final List<float[]> leased = new ArrayList<>(2);

    private ColumnScratch() {}

    static ColumnScratch open() { return new ColumnScratch(); }

    /**
     * A contiguous {@code storageShape} buffer seen through {@code perm} (null: no permutation), whose contents
     * the caller overwrites entirely; null when this buffer must be a fresh one (see the class comment).
     */
    Tensor buffer(Tensor like, int[] storageShape, int[] perm) {
        if (like.dtype() != DType.FLOAT32 || !(like.storage() instanceof HostStorage) || GradMode.isEnabled()) return null;
        long n = 1;
        for (int d : storageShape) n *= d;
        if (n == 0 || n > Integer.MAX_VALUE) return null;
        float[] a = take((int) n);
        leased.add(a);
        Layout layout = Layout.contiguous(storageShape);
        return Tensor.of(HostStorage.wrap(DType.FLOAT32, a, like.backend()), perm == null ? layout : layout.permute(perm));
    }

    /** The smallest pooled buffer that holds n elements (and is not more than twice as big), or a new one. */
    private static float[] take(int n) {
        synchronized (POOL) {
            float[] best = null;
            int at = -1;
            for (int i = 0; i < POOL.size(); i++) {
                float[] a = POOL.get(i).get();
                if (a == null) {
                    POOL.remove(i--);
                    continue;
                }
                if (a.length >= n && a.length / 2 <= n && (best == null || a.length < best.length)) {
                    best = a;
                    at = i;
                }
            }
            if (best != null) {
                POOL.remove(at);
                return best;
            }
        }
        return new float[n];
    }

    @Override
    public void close() {
        synchronized (POOL) {
            for (float[] a : leased) {
                POOL.add(new SoftReference<>(a));
                if (POOL.size() > KEEP) POOL.remove(smallest());
            }
        }
        leased.clear();
    }

    /** The index of a cleared reference, else of the smallest buffer. */
    private static int smallest() {
        int s = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < POOL.size(); i++) {
            float[] a = POOL.get(i).get();
            if (a == null) return i;
            if (a.length < min) {
                min = a.length;
                s = i;
            }
        }
        return s;
    }
}

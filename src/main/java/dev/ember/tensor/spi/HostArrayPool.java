package dev.ember.tensor.spi;

import dev.ember.tensor.DType;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Heap arrays given back by released storages ({@link Storage#release()}), handed out again to storages of the
 * same type and length: Ember's counterpart of the block PyTorch's allocator reuses when a tensor's last reference
 * drops. A fresh multi-MB Java array is memory the JVM must zero and that has left the cache; a pooled one was
 * written moments ago, which is the 3-5x difference between an elementwise op into fresh and into reused memory
 * (BENCHMARKS.md, "Memory").
 *
 * <p>Only arrays of at least {@link #MIN_BYTES} are kept: smaller ones come from the thread's allocation buffer
 * for less than the pool's lock costs. At most {@link #PER_SIZE} arrays of one type and length are kept (as many
 * as a model's forward pass holds at once, typically), within two budgets, each dropping the sizes least recently
 * asked for first:
 * <ul>
 * <li>arrays below {@link #LARGE_BYTES}: {@code ember.memory.pool-bytes} (default 32 MiB). The collector copies
 *     these whenever a collection finds them alive, so a pool of them costs GC time: one grown to 256 MB by a
 *     server's varying batch sizes was measured to bring 50-110 ms pauses, where 32 MB brought none over the
 *     pool-less server's;</li>
 * <li>larger arrays, which G1 allocates as humongous objects and never moves: an eighth of the maximum heap, at
 *     most 1 GiB, so that a 16M-element op can reuse its 64 MB output.</li>
 * </ul>
 * A budget of 0 ({@code -Dember.memory.pool-bytes=0}) turns reuse of the smaller arrays off.
 */
final class HostArrayPool {
    static final int MIN_BYTES = 64 << 10;
    static final int LARGE_BYTES = 8 << 20;
    static final int PER_SIZE = 4;
    static final long SMALL_BUDGET = Long.getLong("ember.memory.pool-bytes", 32L << 20);
    static final long LARGE_BUDGET = Math.min(Runtime.getRuntime().maxMemory() / 8, 1L << 30);

    /** Free arrays by (kind, length), least recently used key first. */
    private static final LinkedHashMap<Long, ArrayDeque<Object>> FREE = new LinkedHashMap<>(16, 0.75f, true);
    /** Bytes held, below and from {@link #LARGE_BYTES}. */
    private static long smallBytes, largeBytes;
    /** Lets {@link #take} skip the lock while nothing was ever given back (no scope in use). */
    private static volatile boolean used;

    private HostArrayPool() {}

    /** A pooled array of this kind and length, zero-filled when asked, or null when there is none. */
    static Object take(DType dtype, int length, boolean zero) {
        if (!used || (long) length * dtype.itemSize() < MIN_BYTES) return null;
        Class<?> arrayType = HostStorage.arrayType(dtype);
        long key = key(arrayType, length);
        Object a;
        synchronized (FREE) {
            ArrayDeque<Object> q = FREE.get(key);
            a = q == null ? null : q.pollLast();
            if (a == null) return null;
            account(key, -1);
        }
        if (zero) zeroFill(a);
        return a;
    }

    /** Keeps {@code array} for reuse when it is big enough and its budget has room; otherwise leaves it to the collector. */
    static void give(Object array) {
        long key = key(array.getClass(), java.lang.reflect.Array.getLength(array));
        long size = bytes(key);
        boolean large = size >= LARGE_BYTES;
        long budget = large ? LARGE_BUDGET : SMALL_BUDGET;
        if (size < MIN_BYTES || size > budget) return;
        synchronized (FREE) {
            ArrayDeque<Object> same = FREE.computeIfAbsent(key, k -> new ArrayDeque<>());
            if (same.size() >= PER_SIZE) return;
            // evict the least recently asked-for sizes of the same budget; `same` is now the most recent, so last
            for (Iterator<Map.Entry<Long, ArrayDeque<Object>>> lru = FREE.entrySet().iterator(); held(large) + size > budget && lru.hasNext(); ) {
                Map.Entry<Long, ArrayDeque<Object>> e = lru.next();
                if (e.getValue() == same || (bytes(e.getKey()) >= LARGE_BYTES) != large) continue;
                for (int i = e.getValue().size(); i > 0; i--) account(e.getKey(), -1);
                lru.remove();
            }
            if (held(large) + size > budget) return;
            same.addLast(array);
            account(key, 1);
            used = true;
        }
    }

    private static long held(boolean large) { return large ? largeBytes : smallBytes; }

    private static void account(long key, int arrays) {
        long b = arrays * bytes(key);
        if (bytes(key) >= LARGE_BYTES) largeBytes += b;
        else smallBytes += b;
    }

    /** Bytes held for reuse now. */
    static long pooledBytes() {
        synchronized (FREE) {
            return smallBytes + largeBytes;
        }
    }

    /** Drops every pooled array (tests; and a way to hand the memory back to the collector). */
    static void clear() {
        synchronized (FREE) {
            FREE.clear();
            smallBytes = largeBytes = 0;
        }
    }

    private static long key(Class<?> type, int length) { return (long) kind(type) << 32 | length; }

    /** The size in bytes of the arrays under {@code key}. */
    private static long bytes(long key) { return (key & 0xFFFF_FFFFL) * widthOf((int) (key >>> 32)); }

    private static int kind(Class<?> type) {
        if (type == float[].class) return 1;
        if (type == double[].class) return 2;
        if (type == long[].class) return 3;
        if (type == int[].class) return 4;
        if (type == short[].class) return 5;
        if (type == byte[].class) return 6;
        throw new IllegalArgumentException("not a storage array: " + type);
    }

    private static int widthOf(int kind) {
        return switch (kind) {
            case 2, 3 -> 8;
            case 1, 4 -> 4;
            case 5 -> 2;
            default -> 1;
        };
    }

    private static void zeroFill(Object a) {
        switch (a) {
            case float[] f -> Arrays.fill(f, 0f);
            case double[] d -> Arrays.fill(d, 0d);
            case long[] l -> Arrays.fill(l, 0L);
            case int[] i -> Arrays.fill(i, 0);
            case short[] s -> Arrays.fill(s, (short) 0);
            case byte[] b -> Arrays.fill(b, (byte) 0);
            default -> throw new IllegalArgumentException("not a storage array: " + a.getClass());
        }
    }
}

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
 * for less than the pool's lock costs. The pool holds at most {@code ember.memory.pool-bytes} bytes (default an
 * eighth of the maximum heap, at most 1 GiB) and drops the sizes least recently asked for first.
 */
final class HostArrayPool {
    static final int MIN_BYTES = 64 << 10;
    static final long MAX_BYTES = Long.getLong("ember.memory.pool-bytes", Math.min(Runtime.getRuntime().maxMemory() / 8, 1L << 30));

    /** Free arrays by (kind, length), least recently used key first. */
    private static final LinkedHashMap<Long, ArrayDeque<Object>> FREE = new LinkedHashMap<>(16, 0.75f, true);
    private static long bytes;
    /** Lets {@link #take} skip the lock while nothing was ever given back (no scope in use). */
    private static volatile boolean used;

    private HostArrayPool() {}

    /** A pooled array of this kind and length, zero-filled when asked, or null when there is none. */
    static Object take(DType dtype, int length, boolean zero) {
        if (!used || (long) length * dtype.itemSize() < MIN_BYTES) return null;
        Class<?> arrayType = switch (dtype) {
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case INT64 -> long[].class;
            case INT32 -> int[].class;
            case INT16, FLOAT16, BFLOAT16 -> short[].class;
            case INT8, UINT8, BOOL -> byte[].class;
        };
        Object a;
        synchronized (FREE) {
            ArrayDeque<Object> q = FREE.get(key(arrayType, length));
            a = q == null ? null : q.pollLast();
            if (a == null) return null;
            bytes -= (long) length * width(arrayType);
        }
        if (zero) clear(a);
        return a;
    }

    /** Keeps {@code array} for reuse when it is big enough and fits; otherwise leaves it to the collector. */
    static void give(Object array) {
        Class<?> type = array.getClass();
        int length = java.lang.reflect.Array.getLength(array);
        long size = (long) length * width(type);
        if (size < MIN_BYTES || size > MAX_BYTES) return;
        synchronized (FREE) {
            Iterator<Map.Entry<Long, ArrayDeque<Object>>> lru = FREE.entrySet().iterator();
            while (bytes + size > MAX_BYTES && lru.hasNext()) {
                Map.Entry<Long, ArrayDeque<Object>> e = lru.next();
                long k = e.getKey();
                bytes -= (k & 0xFFFF_FFFFL) * widthOf((int) (k >>> 32)) * e.getValue().size();
                lru.remove();
            }
            FREE.computeIfAbsent(key(type, length), k -> new ArrayDeque<>()).addLast(array);
            bytes += size;
            used = true;
        }
    }

    /** Bytes held for reuse now. */
    static long pooledBytes() {
        synchronized (FREE) {
            return bytes;
        }
    }

    /** Drops every pooled array (tests; and a way to hand the memory back to the collector). */
    static void clear() {
        synchronized (FREE) {
            FREE.clear();
            bytes = 0;
        }
    }

    private static long key(Class<?> type, int length) { return (long) kind(type) << 32 | length; }

    private static int kind(Class<?> type) {
        if (type == float[].class) return 1;
        if (type == double[].class) return 2;
        if (type == long[].class) return 3;
        if (type == int[].class) return 4;
        if (type == short[].class) return 5;
        if (type == byte[].class) return 6;
        throw new IllegalArgumentException("not a storage array: " + type);
    }

    private static int width(Class<?> type) { return widthOf(kind(type)); }

    private static int widthOf(int kind) {
        return switch (kind) {
            case 2, 3 -> 8;
            case 1, 4 -> 4;
            case 5 -> 2;
            default -> 1;
        };
    }

    private static void clear(Object a) {
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

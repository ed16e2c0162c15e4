package dev.ember.backend.cpu;

/**
 * Where the 64-byte cache lines of a large float[] begin, so that vector loops can start on one.
 *
 * <p>A 512-bit vector load or store that straddles two lines costs two accesses, and a loop whose first vector
 * is misaligned straddles on every step: streaming 16M floats from memory ran at 34 GB/s that way against
 * 41–55 GB/s from a line boundary, and a cache-resident 4M sum took 308 µs against 184 µs. The JVM gives no
 * array's address, but a large array (a G1 humongous object, half a region or more: 2 MB and up with a 4 MB
 * region) starts at the start of its region, so element 0 sits exactly the array header's size past a line
 * boundary. For a small array the guess is as good as any other start, and small arrays live in the cache,
 * where the cost is small.
 */
final class CacheLines {
    private CacheLines() {}

    /** Floats per cache line. */
    static final int FLOATS = 16;

    /** Bytes from an array's start to its element 0: the header, 12 with compact object headers, 16 without. */
    private static final int BASE = arrayBaseOffset();

    private static int arrayBaseOffset() {
        try {
            // read reflectively: the constant is public and reading it is not one of Unsafe's deprecated memory
            // accesses, but naming the class in source makes javac warn about internal API
            return Class.forName("sun.misc.Unsafe").getField("ARRAY_FLOAT_BASE_OFFSET").getInt(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return 16;
        }
    }

    /** How many elements from index {@code i} of a large float[] to the next line boundary (0 on one). */
    static int lead(int i) {
        return (-(BASE + 4 * i) & 63) >>> 2;
    }

    /**
     * {@link Parallel#forRange} over a dense float run that starts at array index {@code start}: the partial line
     * before the first boundary runs as a piece of its own, and the rest splits into chunks of whole lines, so
     * each chunk's vector loop starts on a boundary.
     */
    static void forRange(int start, int n, Parallel.Range body) {
        int head = Math.min(n, lead(start));
        if (head > 0) body.run(0, head);
        int lines = (n - head + FLOATS - 1) / FLOATS;
        Parallel.forRange(lines, Parallel.GRAIN / FLOATS,
                (from, to) -> body.run(head + from * FLOATS, Math.min(n, head + to * FLOATS)));
    }
}

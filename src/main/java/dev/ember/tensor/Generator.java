package dev.ember.tensor;

/**
 * A seedable random source ({@code torch.Generator}): the same seed gives the same numbers run after run.
 * The stream is xoshiro256** seeded through SplitMix64; the numbers differ from PyTorch's (only the
 * distributions match), which no PyTorch program may rely on anyway across versions and devices.
 */
public final class Generator {
    private static final Generator DEFAULT = new Generator(67280421310721L);

    private long s0, s1, s2, s3;
    private long initialSeed;
    private double spareNormal;
    private boolean hasSpare;

    public Generator() { this(System.nanoTime() ^ 0x9E3779B97F4A7C15L); }

    public Generator(long seed) { manualSeed(seed); }

    /** The generator used when none is passed ({@code torch.default_generator}). */
    public static Generator defaultGenerator() { return DEFAULT; }

    /** {@code manual_seed(seed)}: restarts the stream. */
    public synchronized Generator manualSeed(long seed) {
        initialSeed = seed;
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
        hasSpare = false;
        return this;
    }

    public long initialSeed() { return initialSeed; }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public synchronized long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 24 random bits, as PyTorch draws float32. */
    public float nextFloat() { return (nextLong() >>> 40) * 0x1.0p-24f; }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** Uniform integer in [0, bound), without modulo bias. */
    public long nextLong(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive");
        long r = nextLong() >>> 1, m = bound - 1;
        if ((bound & m) == 0) return r & m;
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) { }
        return r;
    }

    /** Standard normal by Box-Muller, caching the second value. */
    public synchronized double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareNormal;
        }
        double u1 = 1.0 - nextDouble(), u2 = nextDouble();
        double r = Math.sqrt(-2 * Math.log(u1));
        spareNormal = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }
}

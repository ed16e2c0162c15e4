package dev.ember.tensor;

import java.util.Arrays;

/**
 * The iteration order of GCC's {@code std::unordered_set} after inserting a sequence of elements one by one, which is
 * the order of PyTorch 1.13's {@code torch.unique(sorted=False)} (its CPU kernel fills a {@code std::unordered_set}
 * and copies it out; {@code sorted=True} then sorts that copy). libstdc++ keeps one singly linked list grouped by
 * bucket: an element for an empty bucket goes to the front of the list, one for a used bucket to the front of that
 * bucket's run; buckets are a prime count (from its prime list, starting at 13 and roughly doubling), and a rehash
 * re-threads the list in its current order by the same rule. Lookups compare only within the key's bucket, so the
 * hash decides which equal keys meet (bfloat16 -0.0 and 0.0 hash apart).
 */
final class UnorderedSetOrder {
    private UnorderedSetOrder() {}

    /** libstdc++'s {@code __prime_list} from 17 on, up to the largest bucket count a Java array can hold. */
    private static final long[] PRIMES = {
            17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 103, 109, 113, 127, 137, 139,
            149, 157, 167, 179, 193, 199, 211, 227, 241, 257, 277, 293, 313, 337, 359, 383, 409, 439, 467, 503, 541,
            577, 619, 661, 709, 761, 823, 887, 953, 1031, 1109, 1193, 1289, 1381, 1493, 1613, 1741, 1879, 2029, 2179,
            2357, 2549, 2753, 2971, 3209, 3469, 3739, 4027, 4349, 4703, 5087, 5503, 5953, 6427, 6949, 7517, 8123,
            8783, 9497, 10273, 11113, 12011, 12983, 14033, 15173, 16411, 17749, 19183, 20753, 22447, 24281, 26267,
            28411, 30727, 33223, 35933, 38873, 42043, 45481, 49201, 53201, 57557, 62233, 67307, 72817, 78779, 85229,
            92203, 99733, 107897, 116731, 126271, 136607, 147793, 159871, 172933, 187091, 202409, 218971, 236897,
            256279, 277261, 299951, 324503, 351061, 379787, 410857, 444487, 480881, 520241, 562841, 608903, 658753,
            712697, 771049, 834181, 902483, 976369, 1056323, 1142821, 1236397, 1337629, 1447153, 1565659, 1693859,
            1832561, 1982627, 2144977, 2320627, 2510653, 2716249, 2938679, 3179303, 3439651, 3721303, 4026031,
            4355707, 4712381, 5098259, 5515729, 5967347, 6456007, 6984629, 7556579, 8175383, 8844859, 9569143,
            10352717, 11200489, 12117689, 13109983, 14183539, 15345007, 16601593, 17961079, 19431899, 21023161,
            22744717, 24607243, 26622317, 28802401, 31160981, 33712729, 36473443, 39460231, 42691603, 46187573,
            49969847, 54061849, 58488943, 63278561, 68460391, 74066549, 80131819, 86693767, 93793069, 101473717,
            109783337, 118773397, 128499677, 139022417, 150406843, 162723577, 176048909, 190465427, 206062531,
            222936881, 241193053, 260944219, 282312799, 305431229, 330442829, 357502601, 386778277, 418451333,
            452718089, 489790921, 529899637, 573292817, 620239453, 671030513, 725980837, 785430967, 849749479,
            919334987, 994618837, 1076067617, 1164186217, 1259520799, 1362662261, 1474249943, 1594975441, 1725587117,
            1866894511, 2019773507};

    /** {@code _Prime_rehash_policy::_M_next_bkt}'s table for small counts. */
    private static final int[] FAST = {2, 2, 2, 3, 5, 5, 7, 7, 11, 11, 11, 11, 13, 13};

    /** Whether the elements at two input positions compare equal with the C++ type's {@code ==}. */
    @FunctionalInterface
    interface Equality {
        boolean test(int i, int j);
    }

    /**
     * Inserts positions {@code 0..n-1} (with their {@code std::hash} values) in order. Returns, for each position, the
     * position of the element the set holds for it (itself when it was inserted), and in {@code order} the inserted
     * positions in the set's iteration order; the int result of {@code order} is its length.
     */
    static int insertAll(long[] hashes, Equality eq, int[] representative, int[] order) {
        int n = hashes.length;
        int[] next = new int[n + 1]; // node p + 1 holds position p; node 0 is _M_before_begin
        next[0] = -1;
        long[] state = {1, 0}; // bucket count, _M_next_resize
        int[] before = new int[1]; // per bucket: the node before its first node, or -1 when empty
        before[0] = -1;
        int count = 0;
        for (int j = 0; j < n; j++) {
            int b = bucket(hashes[j], state[0]);
            int found = -1;
            if (before[b] != -1) {
                for (int p = next[before[b]]; p != -1 && bucket(hashes[p - 1], state[0]) == b; p = next[p]) {
                    if (eq.test(p - 1, j)) {
                        found = p - 1;
                        break;
                    }
                }
            }
            if (found >= 0) {
                representative[j] = found;
                continue;
            }
            representative[j] = j;
            if (needRehash(state, count)) {
                before = rehash(next, hashes, state[0]);
                b = bucket(hashes[j], state[0]);
            }
            int node = j + 1;
            if (before[b] != -1) {
                next[node] = next[before[b]];
                next[before[b]] = node;
            } else {
                next[node] = next[0];
                next[0] = node;
                if (next[node] != -1) before[bucket(hashes[next[node] - 1], state[0])] = node;
                before[b] = 0;
            }
            count++;
        }
        int k = 0;
        for (int p = next[0]; p != -1; p = next[p]) order[k++] = p - 1;
        return k;
    }

    /** {@code _M_need_rehash} for one more element: updates the bucket count (state[0]) and next resize (state[1]). */
    private static boolean needRehash(long[] state, int count) {
        long buckets = state[0], nextResize = state[1];
        if (count + 1 <= nextResize) return false;
        double minBuckets = Math.max(count + 1, nextResize == 0 ? 11 : 0);
        if (minBuckets >= buckets) {
            state[0] = nextBucketCount(Math.max((long) Math.floor(minBuckets) + 1, buckets * 2), state);
            return true;
        }
        state[1] = buckets;
        return false;
    }

    /** {@code _M_next_bkt}: the bucket count for at least {@code n}, setting the next resize point (load factor 1). */
    private static long nextBucketCount(long n, long[] state) {
        if (n < FAST.length) {
            state[1] = FAST[(int) n];
            return FAST[(int) n];
        }
        int i = Arrays.binarySearch(PRIMES, n);
        if (i < 0) i = -i - 1;
        if (i >= PRIMES.length) throw new IllegalArgumentException("unique: too many distinct elements");
        state[1] = PRIMES[i];
        return PRIMES[i];
    }

    /** {@code _M_rehash_aux} for unique keys: re-threads the list in its order into {@code buckets} new buckets. */
    private static int[] rehash(int[] next, long[] hashes, long buckets) {
        int[] before = new int[(int) buckets];
        Arrays.fill(before, -1);
        int p = next[0], beginBucket = 0;
        next[0] = -1;
        while (p != -1) {
            int after = next[p], b = bucket(hashes[p - 1], buckets);
            if (before[b] == -1) {
                next[p] = next[0];
                next[0] = p;
                before[b] = 0;
                if (next[p] != -1) before[beginBucket] = p;
                beginBucket = b;
            } else {
                next[p] = next[before[b]];
                next[before[b]] = p;
            }
            p = after;
        }
        return before;
    }

    private static int bucket(long hash, long buckets) { return (int) Long.remainderUnsigned(hash, buckets); }

    // ---------------------------------------------------------------- std::hash

    /** {@code std::hash<float>}: 0 for both zeros, else {@code _Hash_bytes} of the 4 bytes. */
    static long hashFloat(float f) { return f == 0 ? 0 : hashBytes(Integer.toUnsignedLong(Float.floatToRawIntBits(f)), 4); }

    /** {@code std::hash<double>}: 0 for both zeros, else {@code _Hash_bytes} of the 8 bytes. */
    static long hashDouble(double d) { return d == 0 ? 0 : hashBytes(Double.doubleToRawLongBits(d), 8); }

    /**
     * libstdc++'s {@code _Hash_bytes} (64-bit MurmurHash2 variant, seed 0xc70f6907) of the {@code len} low bytes of
     * {@code data} in little-endian order.
     */
    private static long hashBytes(long data, int len) {
        final long mul = (0xc6a4a793L << 32) + 0x5bd1e995L;
        long hash = 0xc70f6907L ^ (len * mul);
        if (len == 8) {
            hash ^= shiftMix(data * mul) * mul;
            hash *= mul;
        } else {
            hash ^= data;
            hash *= mul;
        }
        hash = shiftMix(hash) * mul;
        return shiftMix(hash);
    }

    private static long shiftMix(long v) { return v ^ (v >>> 47); }
}

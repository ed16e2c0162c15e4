package dev.ember.backend.cpu;

/**
 * The sorting algorithms of GCC's libstdc++ ({@code std::sort}, {@code std::nth_element},
 * {@code std::partial_sort}), step for step, over parallel arrays of keys and payloads ordered by
 * {@code <} on the keys.
 *
 * <p>Why replicate them: PyTorch's CPU {@code sort(stable=False)} and {@code topk} call these with a
 * key-only comparison, so the order they leave equal keys in (ties, several NaNs) is whatever these exact
 * algorithms produce. Matching it means a user's argsort or topk indices agree with PyTorch's even on ties.
 * {@link #stableSort} gives the unique stable order (merge sort).
 */
final class StdSort {
    private StdSort() {}

    private static final int THRESHOLD = 16;

    /** {@code std::sort(first, last)}. */
    static void sort(long[] k, int[] v, int first, int last) {
        if (last - first < 2) return;
        introsortLoop(k, v, first, last, 2 * lg(last - first));
        finalInsertionSort(k, v, first, last);
    }

    /** {@code std::nth_element(first, nth, last)}. */
    static void nthElement(long[] k, int[] v, int first, int nth, int last) {
        if (first == last || nth == last) return;
        int depth = 2 * lg(last - first);
        while (last - first > 3) {
            if (depth == 0) {
                heapSelect(k, v, first, nth + 1, last);
                swap(k, v, first, nth);
                return;
            }
            depth--;
            int cut = partitionPivot(k, v, first, last);
            if (cut <= nth) first = cut;
            else last = cut;
        }
        insertionSort(k, v, first, last);
    }

    /** {@code std::partial_sort(first, middle, last)}: the smallest {@code middle - first} keys, sorted, in front. */
    static void partialSort(long[] k, int[] v, int first, int middle, int last) {
        heapSelect(k, v, first, middle, last);
        sortHeap(k, v, first, middle);
    }

    /** Stable ascending merge sort of [first, last); {@code tk}/{@code tv} are scratch of the same length. */
    static void stableSort(long[] k, int[] v, int first, int last, long[] tk, int[] tv) {
        for (int i = first; i + 1 < last; i += 2) if (k[i + 1] < k[i]) swap(k, v, i, i + 1);
        for (int width = 2; width < last - first; width *= 2) {
            for (int lo = first; lo < last; lo += 2 * width) {
                int mid = Math.min(lo + width, last), hi = Math.min(lo + 2 * width, last);
                if (mid >= hi || k[mid - 1] <= k[mid]) continue;
                int a = lo, b = mid, o = lo;
                while (a < mid && b < hi) {
                    if (k[b] < k[a]) { tk[o] = k[b]; tv[o++] = v[b++]; }
                    else { tk[o] = k[a]; tv[o++] = v[a++]; }
                }
                while (a < mid) { tk[o] = k[a]; tv[o++] = v[a++]; }
                while (b < hi) { tk[o] = k[b]; tv[o++] = v[b++]; }
                System.arraycopy(tk, lo, k, lo, hi - lo);
                System.arraycopy(tv, lo, v, lo, hi - lo);
            }
        }
    }

    private static int lg(int n) { return 31 - Integer.numberOfLeadingZeros(n); }

    private static void swap(long[] k, int[] v, int a, int b) {
        long tk = k[a];
        k[a] = k[b];
        k[b] = tk;
        int tv = v[a];
        v[a] = v[b];
        v[b] = tv;
    }

    private static void introsortLoop(long[] k, int[] v, int first, int last, int depth) {
        while (last - first > THRESHOLD) {
            if (depth == 0) {
                partialSort(k, v, first, last, last);
                return;
            }
            depth--;
            int cut = partitionPivot(k, v, first, last);
            introsortLoop(k, v, cut, last, depth);
            last = cut;
        }
    }

    private static int partitionPivot(long[] k, int[] v, int first, int last) {
        int mid = first + (last - first) / 2;
        moveMedianToFirst(k, v, first, first + 1, mid, last - 1);
        return unguardedPartition(k, v, first + 1, last, first);
    }

    private static void moveMedianToFirst(long[] k, int[] v, int result, int a, int b, int c) {
        if (k[a] < k[b]) {
            if (k[b] < k[c]) swap(k, v, result, b);
            else if (k[a] < k[c]) swap(k, v, result, c);
            else swap(k, v, result, a);
        } else if (k[a] < k[c]) swap(k, v, result, a);
        else if (k[b] < k[c]) swap(k, v, result, c);
        else swap(k, v, result, b);
    }

    private static int unguardedPartition(long[] k, int[] v, int first, int last, int pivot) {
        while (true) {
            while (k[first] < k[pivot]) first++;
            last--;
            while (k[pivot] < k[last]) last--;
            if (!(first < last)) return first;
            swap(k, v, first, last);
            first++;
        }
    }

    private static void finalInsertionSort(long[] k, int[] v, int first, int last) {
        if (last - first > THRESHOLD) {
            insertionSort(k, v, first, first + THRESHOLD);
            for (int i = first + THRESHOLD; i < last; i++) unguardedLinearInsert(k, v, i);
        } else {
            insertionSort(k, v, first, last);
        }
    }

    private static void insertionSort(long[] k, int[] v, int first, int last) {
        if (first == last) return;
        for (int i = first + 1; i < last; i++) {
            if (k[i] < k[first]) {
                long ki = k[i];
                int vi = v[i];
                System.arraycopy(k, first, k, first + 1, i - first);
                System.arraycopy(v, first, v, first + 1, i - first);
                k[first] = ki;
                v[first] = vi;
            } else {
                unguardedLinearInsert(k, v, i);
            }
        }
    }

    private static void unguardedLinearInsert(long[] k, int[] v, int last) {
        long key = k[last];
        int val = v[last];
        int next = last - 1;
        while (key < k[next]) {
            k[last] = k[next];
            v[last] = v[next];
            last = next;
            next--;
        }
        k[last] = key;
        v[last] = val;
    }

    // ---------------------------------------------------------------- heaps (std::__heap_select and friends)

    private static void heapSelect(long[] k, int[] v, int first, int middle, int last) {
        makeHeap(k, v, first, middle);
        for (int i = middle; i < last; i++) if (k[i] < k[first]) popHeap(k, v, first, middle, i);
    }

    private static void sortHeap(long[] k, int[] v, int first, int last) {
        while (last - first > 1) {
            last--;
            popHeap(k, v, first, last, last);
        }
    }

    private static void makeHeap(long[] k, int[] v, int first, int last) {
        int len = last - first;
        if (len < 2) return;
        for (int parent = (len - 2) / 2; ; parent--) {
            adjustHeap(k, v, first, parent, len, k[first + parent], v[first + parent]);
            if (parent == 0) return;
        }
    }

    private static void popHeap(long[] k, int[] v, int first, int last, int result) {
        long key = k[result];
        int val = v[result];
        k[result] = k[first];
        v[result] = v[first];
        adjustHeap(k, v, first, 0, last - first, key, val);
    }

    private static void adjustHeap(long[] k, int[] v, int first, int hole, int len, long key, int val) {
        int top = hole, child = hole;
        while (child < (len - 1) / 2) {
            child = 2 * (child + 1);
            if (k[first + child] < k[first + child - 1]) child--;
            k[first + hole] = k[first + child];
            v[first + hole] = v[first + child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2) {
            child = 2 * (child + 1);
            k[first + hole] = k[first + child - 1];
            v[first + hole] = v[first + child - 1];
            hole = child - 1;
        }
        // __push_heap
        int parent = (hole - 1) / 2;
        while (hole > top && k[first + parent] < key) {
            k[first + hole] = k[first + parent];
            v[first + hole] = v[first + parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        k[first + hole] = key;
        v[first + hole] = val;
    }
}

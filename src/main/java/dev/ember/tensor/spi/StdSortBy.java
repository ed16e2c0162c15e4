package dev.ember.tensor.spi;

/**
 * GCC libstdc++'s {@code std::sort}, step for step, over element ids ordered by a caller's less-than.
 *
 * <p>Why: a few PyTorch CPU kernels ({@code mode}, {@code unique}) std::sort floating values with a bare
 * {@code <}, under which a NaN is neither less nor greater than anything. That is no strict weak order, so where
 * the NaNs and their neighbours end up is whatever this exact algorithm does with it. The CPU backend's StdSort is
 * the same algorithm over long keys, kept apart because the plain sort path cannot afford a comparator call.
 * Unguarded scans are bounded here, where an inconsistent order could run them off the range in C++.
 */
public final class StdSortBy {
    private StdSortBy() {}

    /** The caller's {@code <} on two element ids. */
    @FunctionalInterface
    public interface Less {
        boolean test(int a, int b);
    }

    private static final int THRESHOLD = 16;

    /** {@code std::sort(v + first, v + last, less)}. */
    public static void sort(int[] v, int first, int last, Less less) {
        if (last - first < 2) return;
        introsortLoop(v, first, last, 2 * (31 - Integer.numberOfLeadingZeros(last - first)), less);
        if (last - first > THRESHOLD) {
            insertionSort(v, first, first + THRESHOLD, less);
            for (int i = first + THRESHOLD; i < last; i++) linearInsert(v, first, i, less);
        } else {
            insertionSort(v, first, last, less);
        }
    }

    private static void introsortLoop(int[] v, int first, int last, int depth, Less less) {
        while (last - first > THRESHOLD) {
            if (depth == 0) {
                makeHeap(v, first, last, less); // std::partial_sort(first, last, last)
                for (int end = last - 1; end > first; end--) popHeap(v, first, end, end, less);
                return;
            }
            depth--;
            int mid = first + (last - first) / 2;
            moveMedianToFirst(v, first, first + 1, mid, last - 1, less);
            int cut = partition(v, first + 1, last, first, less);
            introsortLoop(v, cut, last, depth, less);
            last = cut;
        }
    }

    private static void moveMedianToFirst(int[] v, int result, int a, int b, int c, Less less) {
        if (less.test(v[a], v[b])) {
            if (less.test(v[b], v[c])) swap(v, result, b);
            else if (less.test(v[a], v[c])) swap(v, result, c);
            else swap(v, result, a);
        } else if (less.test(v[a], v[c])) swap(v, result, a);
        else if (less.test(v[b], v[c])) swap(v, result, c);
        else swap(v, result, b);
    }

    private static int partition(int[] v, int first, int last, int pivot, Less less) {
        int end = last;
        while (true) {
            while (first < end - 1 && less.test(v[first], v[pivot])) first++;
            last--;
            while (last > pivot && less.test(v[pivot], v[last])) last--;
            if (!(first < last)) return first;
            swap(v, first, last);
            first++;
        }
    }

    private static void insertionSort(int[] v, int first, int last, Less less) {
        for (int i = first + 1; i < last; i++) {
            if (less.test(v[i], v[first])) {
                int x = v[i];
                System.arraycopy(v, first, v, first + 1, i - first);
                v[first] = x;
            } else {
                linearInsert(v, first, i, less);
            }
        }
    }

    /** std::__unguarded_linear_insert, bounded below by {@code first}. */
    private static void linearInsert(int[] v, int first, int last, Less less) {
        int x = v[last];
        while (last > first && less.test(x, v[last - 1])) {
            v[last] = v[last - 1];
            last--;
        }
        v[last] = x;
    }

    private static void makeHeap(int[] v, int first, int last, Less less) {
        int len = last - first;
        for (int parent = (len - 2) / 2; len >= 2 && parent >= 0; parent--) adjustHeap(v, first, parent, len, v[first + parent], less);
    }

    private static void popHeap(int[] v, int first, int last, int result, Less less) {
        int x = v[result];
        v[result] = v[first];
        adjustHeap(v, first, 0, last - first, x, less);
    }

    private static void adjustHeap(int[] v, int first, int hole, int len, int x, Less less) {
        int top = hole, child = hole;
        while (child < (len - 1) / 2) {
            child = 2 * (child + 1);
            if (less.test(v[first + child], v[first + child - 1])) child--;
            v[first + hole] = v[first + child];
            hole = child;
        }
        if ((len & 1) == 0 && child == (len - 2) / 2) {
            child = 2 * (child + 1);
            v[first + hole] = v[first + child - 1];
            hole = child - 1;
        }
        int parent = (hole - 1) / 2;
        while (hole > top && less.test(v[first + parent], x)) {
            v[first + hole] = v[first + parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }
        v[first + hole] = x;
    }

    private static void swap(int[] v, int a, int b) {
        int t = v[a];
        v[a] = v[b];
        v[b] = t;
    }
}

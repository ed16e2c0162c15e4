package dev.ember.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm} called through the FFM API. The library is the DYNAMIC_ARCH
 * build inside {@code org.bytedeco:openblas:linux-x86_64} (only its .so files are used, not JavaCPP). Heap arrays
 * go to native code without a copy: the downcalls are {@link Linker.Option#critical(boolean) critical} with heap
 * access, which pins the arrays for the duration of the call.
 *
 * <p>OpenBLAS runs single-threaded inside each call, and large products are split into row (or column) bands
 * across the engine's own thread pool ({@link Parallel}, {@code ember.threads}), one band per thread. OpenBLAS's
 * own pthreads spin while they wait; on the shared 2-core machines this engine was measured on, a spinning
 * helper that gets descheduled stalls the whole product (mean 1024³ time several times the best), while the
 * engine's pool parks its threads. One pool also keeps GEMM threads from competing with the elementwise kernels.
 *
 * <p>OpenBLAS reads {@code OPENBLAS_CORETYPE} when it loads; we leave the user's setting alone and log the
 * kernel set it picked, because a forced {@code Haswell} on an AVX-512 machine halves GEMM speed.
 */
final class OpenBlasGemm implements Gemm {
    static final String RESOURCE_DIR = "org/bytedeco/openblas/linux-x86_64";
    /** libopenblas needs libgfortran, which needs libquadmath and libgcc_s; all four ship in the jar. */
    static final List<String> FILES = List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");

    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    private final MethodHandle sgemm, dgemm;
    private final String coreName, config;
    private final int threads;

    private OpenBlasGemm(MethodHandle sgemm, MethodHandle dgemm, String coreName, String config, int threads) {
        this.sgemm = sgemm;
        this.dgemm = dgemm;
        this.coreName = coreName;
        this.config = config;
        this.threads = threads;
    }

    /** Extracts and binds the library; {@code threads} is the engine's thread count, which splits large products. */
    static OpenBlasGemm load(int threads) throws Throwable {
        Path dir = NativeLibraries.extract(RESOURCE_DIR, FILES);
        Arena arena = Arena.global();
        // libgcc_s is part of every glibc system and may already be mapped into the JVM: take the system's one
        // and load the bundled copy only when there is none, rather than map two copies of the unwinder.
        try {
            SymbolLookup.libraryLookup("libgcc_s.so.1", arena);
        } catch (IllegalArgumentException noSystemCopy) {
            SymbolLookup.libraryLookup(dir.resolve("libgcc_s.so.1"), arena);
        }
        // Loaded by path in dependency order; the dynamic linker then matches libopenblas's NEEDED entries by soname.
        SymbolLookup.libraryLookup(dir.resolve("libquadmath.so.0"), arena);
        SymbolLookup.libraryLookup(dir.resolve("libgfortran.so.5"), arena);
        SymbolLookup lib = SymbolLookup.libraryLookup(dir.resolve("libopenblas.so.0"), arena);

        Linker linker = Linker.nativeLinker();
        Linker.Option heap = Linker.Option.critical(true);
        MethodHandle sgemm = linker.downcallHandle(find(lib, "cblas_sgemm"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT), heap);
        MethodHandle dgemm = linker.downcallHandle(find(lib, "cblas_dgemm"), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT), heap);
        MethodHandle setThreads = linker.downcallHandle(find(lib, "openblas_set_num_threads"), FunctionDescriptor.ofVoid(JAVA_INT));
        MethodHandle getThreads = linker.downcallHandle(find(lib, "openblas_get_num_threads"), FunctionDescriptor.of(JAVA_INT));
        MethodHandle coreName = linker.downcallHandle(find(lib, "openblas_get_corename"), FunctionDescriptor.of(ADDRESS));
        MethodHandle config = linker.downcallHandle(find(lib, "openblas_get_config"), FunctionDescriptor.of(ADDRESS));

        setThreads.invokeExact(1);
        int perCall = (int) getThreads.invokeExact();
        if (perCall != 1) throw new IllegalStateException("openblas_set_num_threads(1) left " + perCall + " threads");
        return new OpenBlasGemm(sgemm, dgemm, cString((MemorySegment) coreName.invokeExact()), cString((MemorySegment) config.invokeExact()), threads);
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libopenblas.so.0 has no symbol " + name));
    }

    private static String cString(MemorySegment p) {
        return p.equals(MemorySegment.NULL) ? "?" : p.reinterpret(4096).getString(0);
    }

    @Override
    public String name() { return "openblas"; }

    /** The kernel set OpenBLAS picked, e.g. {@code Cooperlake} or {@code Haswell}. */
    String coreName() { return coreName; }

    /** Build configuration, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64}. */
    String config() { return config; }

    /** Engine threads a large product is split across (OpenBLAS itself runs one thread per call). */
    int threads() { return threads; }

    /** Products below this many multiply-adds run on the calling thread (OpenBLAS's own threading threshold). */
    private static final long PARALLEL_MIN = 1L << 18;

    /** The band of C a thread computes: rows [r0, r1) and columns [c0, c1). */
    @FunctionalInterface
    private interface Band {
        void run(int r0, int r1, int c0, int c1);
    }

    /** Splits C into one band per engine thread, by rows when it is at least as tall as wide, else by columns. */
    private void split(int m, int n, int k, boolean parallel, Band band) {
        if (!parallel || threads <= 1 || (long) m * n * k < PARALLEL_MIN) {
            band.run(0, m, 0, n);
        } else if (m >= n) {
            int units = JavaGemm.ceilDiv(m, 16);
            Parallel.forRange(units, 1, (f, t) -> band.run(f * 16, Math.min(t * 16, m), 0, n));
        } else {
            int units = JavaGemm.ceilDiv(n, 16);
            Parallel.forRange(units, 1, (f, t) -> band.run(0, m, f * 16, Math.min(t * 16, n)));
        }
    }

    /**
     * Matrix-vector products (one row or one column of C: a batch-1 linear layer) go to the Java kernel's dot
     * products instead. OpenBLAS's sgemm packs a whole panel of B even for a single row: with its Haswell kernels a
     * 1x784 by 784x512 product took 0.14 ms against 0.018 ms (0.013 ms with its Cooperlake kernels), and for a small
     * output the native call alone costs more than the arithmetic (512 -> 10: 5 us against 0.6 us).
     */
    private static final JavaGemm VECTOR = new JavaGemm();

    @Override
    public void sgemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                      float[] c, int co, int ldc, boolean parallel) {
        if (m == 1 || n == 1) {
            VECTOR.sgemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel);
            return;
        }
        split(m, n, k, parallel, (r0, r1, c0, c1) -> {
            int a0 = ao + (ta ? r0 : r0 * lda), b0 = bo + (tb ? c0 * ldb : c0), cc = co + r0 * ldc + c0;
            try {
                sgemm.invokeExact(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, r1 - r0, c1 - c0, k, 1f,
                        slice(MemorySegment.ofArray(a), a0, ValueLayout.JAVA_FLOAT), lda,
                        slice(MemorySegment.ofArray(b), b0, ValueLayout.JAVA_FLOAT), ldb, 0f,
                        slice(MemorySegment.ofArray(c), cc, ValueLayout.JAVA_FLOAT), ldc);
            } catch (Throwable t) {
                throw new IllegalStateException("cblas_sgemm failed", t);
            }
        });
    }

    @Override
    public void dgemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                      double[] c, int co, int ldc, boolean parallel) {
        split(m, n, k, parallel, (r0, r1, c0, c1) -> {
            int a0 = ao + (ta ? r0 : r0 * lda), b0 = bo + (tb ? c0 * ldb : c0), cc = co + r0 * ldc + c0;
            try {
                dgemm.invokeExact(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, r1 - r0, c1 - c0, k, 1.0,
                        slice(MemorySegment.ofArray(a), a0, ValueLayout.JAVA_DOUBLE), lda,
                        slice(MemorySegment.ofArray(b), b0, ValueLayout.JAVA_DOUBLE), ldb, 0.0,
                        slice(MemorySegment.ofArray(c), cc, ValueLayout.JAVA_DOUBLE), ldc);
            } catch (Throwable t) {
                throw new IllegalStateException("cblas_dgemm failed", t);
            }
        });
    }

    private static MemorySegment slice(MemorySegment s, int offset, ValueLayout element) {
        return offset == 0 ? s : s.asSlice(offset * element.byteSize());
    }
}

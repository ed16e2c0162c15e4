package dev.ember.backend.cpu;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which GEMM the CPU backend uses: OpenBLAS through FFM when its library loads, the pure-Java
 * {@link JavaGemm} otherwise. System property {@code ember.blas}: {@code openblas} (required: matmul fails
 * with the load error if it is missing), {@code java}, or unset (OpenBLAS if it loads, else Java, with the
 * reason in the log). Tests and benchmarks switch at run time with {@link #use}.
 */
public final class CpuGemm {
    private static final Logger LOG = Logger.getLogger(CpuGemm.class.getName());
    private static final Gemm JAVA = new JavaGemm();
    private static volatile Gemm current;

    private CpuGemm() {}

    /** OpenBLAS, loaded on first use; {@link #error} says why when it could not be. */
    private static final class Native {
        static final OpenBlasGemm GEMM;
        static final Throwable ERROR;

        static {
            OpenBlasGemm g = null;
            Throwable err = null;
            try {
                g = OpenBlasGemm.load(Parallel.THREADS);
                String env = System.getenv("OPENBLAS_CORETYPE");
                LOG.info("OpenBLAS loaded: " + g.config() + "; core " + g.coreName() + " ("
                        + (env == null ? "auto-detected" : "OPENBLAS_CORETYPE=" + env + " from the environment") + "); one OpenBLAS thread per call, large products split across "
                        + g.threads() + " engine threads");
            } catch (Throwable t) {
                err = t;
            }
            GEMM = g;
            ERROR = err;
        }
    }

    static Gemm get() {
        Gemm g = current;
        if (g == null) {
            synchronized (CpuGemm.class) {
                if (current == null) current = initial();
                g = current;
            }
        }
        return g;
    }

    private static Gemm initial() {
        String want = System.getProperty("ember.blas", "").trim();
        switch (want) {
            case "java" -> {
                LOG.info("GEMM: pure Java (ember.blas=java)");
                return JAVA;
            }
            case "openblas" -> {
                return openBlas();
            }
            case "" -> {
                if (Native.GEMM != null) return Native.GEMM;
                LOG.log(Level.WARNING, "OpenBLAS could not be loaded, matmul falls back to the pure-Java GEMM: " + describe(Native.ERROR), Native.ERROR);
                return JAVA;
            }
            default -> throw new IllegalArgumentException("ember.blas must be one of " + names() + ", got '" + want + "'");
        }
    }

    private static Gemm openBlas() {
        if (Native.GEMM == null) throw new IllegalStateException("ember.blas=openblas but OpenBLAS could not be loaded: " + describe(Native.ERROR), Native.ERROR);
        return Native.GEMM;
    }

    private static String describe(Throwable t) {
        return t == null ? "unknown" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** The GEMM in use: {@code openblas} or {@code java}. */
    public static String current() { return get().name(); }

    public static List<String> names() { return List.of("openblas", "java"); }

    /** Switches the GEMM ({@code openblas} or {@code java}); for tests and benchmarks that compare both. */
    public static synchronized void use(String name) {
        current = switch (name) {
            case "java" -> JAVA;
            case "openblas" -> openBlas();
            default -> throw new IllegalArgumentException("GEMM must be one of " + names() + ", got '" + name + "'");
        };
    }

    private static volatile boolean oneDnnBfloat16 = initialOneDnnBfloat16();

    /**
     * Whether large bfloat16 products round as PyTorch's MKL-DNN path does (float sums, one rounding), which PyTorch 1.13
     * takes on CPUs with AVX-512 BW, VL and DQ; system property {@code ember.bfloat16.onednn} ({@code true}/{@code false})
     * overrides the CPU's answer.
     */
    public static boolean oneDnnBfloat16() { return oneDnnBfloat16; }

    /** Switches the bfloat16 product rounding; for tests that check both PyTorch behaviours on one machine. */
    public static void useOneDnnBfloat16(boolean on) { oneDnnBfloat16 = on; }

    private static boolean initialOneDnnBfloat16() {
        String want = System.getProperty("ember.bfloat16.onednn", "").trim();
        if (!want.isEmpty()) return Boolean.parseBoolean(want);
        return CpuFlags.has("avx512bw") && CpuFlags.has("avx512vl") && CpuFlags.has("avx512dq");
    }

    /** Null when OpenBLAS is usable; otherwise why not. */
    public static String openBlasUnavailableReason() { return Native.GEMM != null ? null : describe(Native.ERROR); }

    /** OpenBLAS's core name ({@code Haswell}, {@code Cooperlake}, ...), or null when it is not loaded. */
    public static String openBlasCoreName() { return Native.GEMM != null ? Native.GEMM.coreName() : null; }
}

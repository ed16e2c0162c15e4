package dev.ember.backend.cpu;

import org.openjdk.jmh.annotations.*;
import java.util.concurrent.TimeUnit;

@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseCompactObjectHeaders", "-XX:+UseTransparentHugePages", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"})
public class CostProbe {
    @Param({"1048576", "16777216"}) public int n;
    float[] a, b, o;

    @Setup public void setup() {
        a = new float[n]; b = new float[n]; o = new float[n];
        for (int i = 0; i < n; i++) { a[i] = i % 7 - 3; b[i] = i % 5; }
    }

    @Benchmark public float[] alloc() { return new float[n]; }
    static final java.lang.invoke.MethodHandle UNINIT;
    static final Object U;
    static {
        Object u = null; java.lang.invoke.MethodHandle h = null;
        try {
            Class<?> c = Class.forName("jdk.internal.misc.Unsafe");
            u = c.getMethod("getUnsafe").invoke(null);
            h = java.lang.invoke.MethodHandles.lookup().findVirtual(c, "allocateUninitializedArray", java.lang.invoke.MethodType.methodType(Object.class, Class.class, int.class)).bindTo(u);
        } catch (Throwable t) { System.err.println("no uninit: " + t); }
        U = u; UNINIT = h;
    }
    static float[] uninit(int n) {
        try { return (float[]) (Object) UNINIT.invokeExact((Class<?>) float.class, n); } catch (Throwable t) { throw new RuntimeException(t); }
    }
    @Benchmark public float[] allocUninit() { return uninit(n); }
    @Benchmark public float[] addUninitPar() { float[] r = uninit(n); Parallel.forRange(n, (f, t) -> FloatVectors.add(a, f, b, f, r, f, t - f)); return r; }
    @Benchmark public float[] addPre() { FloatVectors.add(a, 0, b, 0, o, 0, n); return o; }
    @Benchmark public float[] addNew() { float[] r = new float[n]; FloatVectors.add(a, 0, b, 0, r, 0, n); return r; }
    @Benchmark public float[] addPrePar() { Parallel.forRange(n, (f, t) -> FloatVectors.add(a, f, b, f, o, f, t - f)); return o; }
    @Benchmark public float[] addNewPar() { float[] r = new float[n]; Parallel.forRange(n, (f, t) -> FloatVectors.add(a, f, b, f, r, f, t - f)); return r; }
    @Benchmark public double sum1() { return CascadeSum.innerRunFloat(a, 0, n); }
    @Benchmark public double sum2() {
        double[] parts = new double[2];
        Parallel.forRange(2, 1, (f, t) -> { for (int c = f; c < t; c++) parts[c] = CascadeSum.innerRunFloat(a, c * (n / 2), n / 2); });
        return parts[0] + parts[1];
    }
    @Benchmark public double sum2Plain() {
        double[] parts = new double[2];
        Parallel.forRange(2, 1, (f, t) -> { for (int c = f; c < t; c++) { float s0 = 0, s1 = 0, s2 = 0, s3 = 0; int lo = c * (n / 2), hi = lo + n / 2;
            for (int i = lo; i < hi; i += 4) { s0 += a[i]; s1 += a[i + 1]; s2 += a[i + 2]; s3 += a[i + 3]; } parts[c] = s0 + s1 + s2 + s3; } });
        return parts[0] + parts[1];
    }
    @Benchmark public float[] forkOnly() { Parallel.forRange(2 * Parallel.GRAIN, (f, t) -> {}); return o; }
}

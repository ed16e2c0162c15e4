package dev.ember.bench;

import dev.ember.backend.cpu.CpuGemm;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.MemoryScope;
import dev.ember.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * float32 {@code a.matmul(b)} for square n×n operands through the public API (output allocation included, as
 * in PyTorch's {@code A @ B}), with each CPU GEMM. {@code matmul} leaves each output to the garbage collector,
 * {@code matmulScoped} frees it as a {@link MemoryScope} closes (see ElementwiseBench for why the two differ). GFLOPS = 2n³ / time; bench/summarize.py does the division.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseCompactObjectHeaders",
        "-XX:+UseTransparentHugePages", "-XX:InitialRAMPercentage=5"})
public class MatmulBench {
    @Param({"256", "1024", "2048"})
    public int n;

    @Param({"openblas", "java"})
    public String gemm;

    private Tensor a, b;

    @Setup(Level.Trial)
    public void setup() {
        CpuGemm.use(gemm);
        Generator g = new Generator(42);
        a = Tensor.randn(g, new int[] {n, n}, DType.FLOAT32);
        b = Tensor.randn(g, new int[] {n, n}, DType.FLOAT32);
    }

    @Benchmark
    public Tensor matmul() { return a.matmul(b); }

    /** The output released as the scope closes, as PyTorch's allocator frees {@code A @ B} when its last reference goes. */
    @Benchmark
    public void matmulScoped(Blackhole bh) {
        try (MemoryScope scope = MemoryScope.open()) {
            bh.consume(a.matmul(b));
        }
    }
}

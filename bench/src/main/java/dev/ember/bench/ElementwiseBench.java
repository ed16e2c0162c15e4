package dev.ember.bench;

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
 * float32 add, relu and sum over contiguous tensors of n elements, through the public API, a new output each call
 * as in PyTorch. Two ways to drop it: {@code add}/{@code relu} leave it to the garbage collector, {@code addScoped}
 * /{@code reluScoped} release it as a {@link MemoryScope} closes, which is what PyTorch does when the result's last
 * reference goes (its allocator hands the same block to the next call). The fork runs with the server's JVM flags
 * (bin/ember; bench/run_engine.sh passes them from there), nothing benchmark-only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseCompactObjectHeaders",
        "-XX:+UseTransparentHugePages", "-XX:InitialRAMPercentage=5"})
public class ElementwiseBench {
    @Param({"1048576", "16777216"})
    public int n;

    private Tensor a, b;

    @Setup(Level.Trial)
    public void setup() {
        Generator g = new Generator(7);
        a = Tensor.randn(g, new int[] {n}, DType.FLOAT32);
        b = Tensor.randn(g, new int[] {n}, DType.FLOAT32);
    }

    @Benchmark
    public Tensor add() { return a.add(b); }

    @Benchmark
    public Tensor relu() { return a.relu(); }

    @Benchmark
    public Tensor sum() { return a.sum(); }

    @Benchmark
    public void addScoped(Blackhole bh) {
        try (MemoryScope scope = MemoryScope.open()) {
            bh.consume(a.add(b));
        }
    }

    @Benchmark
    public void reluScoped(Blackhole bh) {
        try (MemoryScope scope = MemoryScope.open()) {
            bh.consume(a.relu());
        }
    }
}

package dev.ember.bench;

import dev.ember.io.SafeTensors;
import dev.ember.io.StateDict;
import dev.ember.io.TorchFiles;
import dev.ember.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Memory used while loading a state_dict (issue #5: "a small multiple of the weights' size"): writes a float32
 * state_dict of about {@code MB} megabytes (AlexNet-like tensor sizes, default 256) as .pt and .safetensors, then
 * for each file reports the bytes the loading thread allocated and the heap still held after a GC, both as
 * multiples of the weights' size. Run with bench/run_engine.sh's class path:
 * {@code java -cp ... dev.ember.bench.LoadMemory [MB]}.
 */
public final class LoadMemory {
    private LoadMemory() {}

    public static void main(String[] args) throws Exception {
        int mb = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        Map<String, Tensor> sd = new LinkedHashMap<>();
        long floats = (long) mb << 18, left = floats;
        int[][] shapes = {{4096, 6400}, {4096, 4096}, {384, 256, 3, 3}, {4096}, {10, 4096}};
        for (int i = 0; left > 0; i++) {
            int[] shape = shapes[i % shapes.length];
            long n = 1;
            for (int s : shape) n *= s;
            if (n > left) shape = new int[] {(int) left};
            sd.put("layer" + i + ".weight", Tensor.zeros(shape).add(0.5));
            left -= Math.min(n, left);
        }
        Path dir = Files.createTempDirectory("ember-loadmem");
        Path pt = dir.resolve("model.pt"), st = dir.resolve("model.safetensors");
        TorchFiles.save(sd, pt);
        SafeTensors.save(sd, st);
        long weights = floats * 4;
        sd = null;
        System.out.printf("| file | weights | allocated while loading | retained after GC |%n|---|---|---|---|%n");
        for (Path f : new Path[] {pt, st}) {
            for (int round = 0; round < 2; round++) { // the first round warms the code up
                System.gc();
                long heapBefore = usedHeap();
                long allocBefore = allocated();
                Object loaded = f == pt ? StateDict.load(f) : SafeTensors.load(f);
                long alloc = allocated() - allocBefore;
                System.gc();
                long retained = usedHeap() - heapBefore;
                if (round == 1)
                    System.out.printf("| %s | %d MB | %.2f× | %.2f× |%n", f.getFileName(), weights >> 20, (double) alloc / weights, (double) retained / weights);
                if (loaded.hashCode() == 42) System.out.print(""); // keep it reachable until here
            }
        }
        Files.delete(pt);
        Files.delete(st);
        Files.delete(dir);
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static long usedHeap() { return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(); }
}

package dev.ember.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The x86 feature flags Linux reports for this CPU ({@code /proc/cpuinfo}), for the few places where PyTorch's numerics
 * depend on them. Empty where the file cannot be read (another OS), which answers as a CPU without the features.
 */
final class CpuFlags {
    private CpuFlags() {}

    private static final Set<String> FLAGS = read();

    static boolean has(String flag) { return FLAGS.contains(flag); }

    private static Set<String> read() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).orElse(Set.of());
        } catch (IOException | RuntimeException unreadable) {
            return Set.of();
        }
    }
}

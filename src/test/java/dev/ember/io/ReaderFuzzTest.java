package dev.ember.io;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target for every model-file reader: the pickle VM on raw bytes, the zip reader, the legacy reader and
 * safetensors. Any outcome but a value or a {@link ModelFormatException} (another exception, a stack overflow,
 * running out of memory, a hang) is a finding.
 */
class ReaderFuzzTest {
    private static final LoadLimits LIMITS = LoadLimits.DEFAULT.withMaxPickleBytes(1 << 20).withMaxFileBytes(1 << 22);

    @FuzzTest(maxDuration = "30s")
    void readers(FuzzedDataProvider in) throws IOException {
        int which = in.consumeInt(0, 3);
        byte[] data = in.consumeRemainingAsBytes();
        try {
            switch (which) {
                case 0 -> {
                    Object v = new Unpickler(ByteSource.of(data), "fuzz", LIMITS, new StorageTable(false)).load();
                    Values.checkGraph(v, LIMITS.maxDepth());
                }
                case 1, 2 -> TorchFiles.load(temp(data), LIMITS);
                default -> SafeTensors.load(temp(data), LIMITS);
            }
        } catch (ModelFormatException expected) {
            // refusing is the right answer for a malformed file
        }
    }

    private static Path file;

    private static Path temp(byte[] data) throws IOException {
        if (file == null) {
            file = Files.createTempFile("ember-fuzz", ".bin");
            file.toFile().deleteOnExit();
        }
        return Files.write(file, data);
    }
}

package dev.ember.io;

import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicWriteTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws Exception {
        Path target = Files.writeString(dir.resolve("model.pt"), "old");
        assertThatThrownBy(() -> AtomicFiles.write(target, ch -> {
            ch.write(ByteBuffer.wrap("half of the new".getBytes()));
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(target)).isEqualTo("old");
        assertThat(files()).containsExactly("model.pt");
    }

    @Test
    void saveReplacesTheFileAndLeavesNothingElse() throws Exception {
        Path target = Files.writeString(dir.resolve("model.pt"), "old");
        TorchFiles.save(new StateDict().put("w", Tensor.ones(2)), target);
        SafeTensors.save(Map.of("w", Tensor.ones(2)), dir.resolve("model.safetensors"));
        assertThat(files()).containsExactly("model.pt", "model.safetensors");
        assertThat(StateDict.load(target).get("w").toFloatArray()).containsExactly(1f, 1f);
        assertThat(StateDict.load(dir.resolve("model.safetensors")).get("w").toFloatArray()).containsExactly(1f, 1f);
    }

    @Test
    void valuesThatCannotBeSavedFailBeforeAnythingIsWritten() throws Exception {
        Path target = dir.resolve("bad.pt");
        assertThatThrownBy(() -> TorchFiles.save(Map.of("opt", Map.of("x", new Object())), target))
                .hasMessageContaining("torch.save at ['opt']['x']: cannot save a java.lang.Object");
        java.util.List<Object> self = new java.util.ArrayList<>();
        self.add(self);
        assertThatThrownBy(() -> TorchFiles.save(self, target)).hasMessageContaining("contains itself");
        assertThat(files()).isEmpty();
    }

    @Test
    void archiveFolderIsNamedLikeTorchNamesIt() {
        assertThat(TorchWriter.archiveName(Path.of("model.v1.pt"))).isEqualTo("model.v1");
        assertThat(TorchWriter.archiveName(Path.of("my-model weird name.pth"))).isEqualTo("my-model weird name");
        assertThat(TorchWriter.archiveName(Path.of("noext"))).isEqualTo("noext");
        assertThat(TorchWriter.archiveName(Path.of(".hidden.pt"))).isEqualTo(".hidden");
        assertThat(TorchWriter.archiveName(Path.of("dir.x/inner"))).isEqualTo("inner");
        assertThat(TorchWriter.archiveName(Path.of("模型.pt"))).isEqualTo("archive");
    }
}

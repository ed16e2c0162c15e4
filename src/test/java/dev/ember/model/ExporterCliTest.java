package dev.ember.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** tools/export_model.py as a command, run with the real PyTorch: what it writes loads in Ember, and what it cannot export it refuses clearly. */
class ExporterCliTest {
    @TempDir
    Path out;

    record Result(int exit, String stdout, String stderr) {}

    Result cli(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(PyTorchModels.PYTHON, PyTorchModels.exporter().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(PyTorchModels.script().getParent().toFile()).start();
        p.getOutputStream().close();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("export_model.py timed out");
        }
        return new Result(p.exitValue(), stdout, stderr);
    }

    @Test
    void exportsTheTutorialLeNetForAnyBatchSize() throws Exception {
        Result r = cli("models:TutorialNet", "--input-shape", "1,1,32,32", "--out", out.toString(), "--name", "lenet");
        assertThat(r.exit()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("exported lenet (make_fx)");
        Path model = out.resolve("lenet");
        assertThat(model.resolve("1/model.pt")).isRegularFile();
        Map<?, ?> cfg = (Map<?, ?>) dev.ember.io.Json.parse(Files.readString(model.resolve("config.json")));
        assertThat(cfg.get("max_batch_size")).isEqualTo(64L);
        Map<?, ?> input = (Map<?, ?>) ((List<?>) cfg.get("input")).getFirst();
        assertThat(input.get("data_type")).isEqualTo("TYPE_FP32");
        assertThat(input.get("dims")).isEqualTo(List.of(1L, 32L, 32L));
        LoadedModel m = LoadedModel.load(model, 1);
        assertThat(m.signature().input("x").mismatch(dev.ember.tensor.DType.FLOAT32, new long[] {1, 32, 32}, true)).isNull();
        try (var files = Files.list(model)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1", "config.json", "model.json");
        }
    }

    @Test
    void refusesAModelThatHardWiresItsBatchSize() throws Exception {
        Result r = cli("models:BatchOne", "--input-shape", "1,8", "--out", out.toString(), "--name", "one");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("export_model: the model fails on a batch of 2 (RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x16 and 8x2)), "
                + "so it cannot serve any batch size; export with dynamic_batch=False (--static-batch)");
        assertThat(out.resolve("one")).doesNotExist();

        Result fixed = cli("models:BatchOne", "--input-shape", "1,8", "--out", out.toString(), "--name", "one", "--static-batch", "--format", "safetensors");
        assertThat(fixed.exit()).as(fixed.stderr()).isZero();
        ModelSpec spec = ModelSpec.read(out.resolve("one/model.json"));
        assertThat(spec.signature().inputs().getFirst().shape()).containsExactly(1, 8);
        assertThat(spec.signature().batched()).isFalse();
        assertThat(out.resolve("one/1/model.safetensors")).isRegularFile();
        assertThat(LoadedModel.load(out.resolve("one"), 1).module().stateDict()).containsKeys("fc.weight", "fc.bias");
    }

    @Test
    void explainsABadClassName() throws Exception {
        Result r = cli("models", "--input-shape", "1,8", "--out", out.toString(), "--name", "x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("expected module.path:ClassName, got 'models'");
    }
}

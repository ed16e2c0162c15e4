package dev.ember.io;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files written by real PyTorch 1.13 (zip and legacy formats: every dtype, views over one storage, 0-dim
 * tensors, a module's state_dict with _metadata, an Adam checkpoint, SGD state, keep_vars parameters) load into
 * exactly the values torch loads; files Ember writes load back in PyTorch with weights_only=True.
 */
class TorchInteropTest {
    static final List<String> CASES = List.of("dtypes", "views", "model", "checkpoint", "sgd", "keepvars");

    @TempDir
    static Path dir;

    @BeforeAll
    static void makeFiles() {
        PyTorch.run("make", dir.toString());
    }

    static Object expected(String c) throws Exception {
        return Json.parse(Files.readString(dir.resolve(c + ".json")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtypes", "views", "model", "checkpoint", "sgd", "keepvars"})
    void zipFileLoadsAsInPyTorch(String c) throws Exception {
        Expected.assertMatches(expected(c), TorchFiles.load(dir.resolve(c + ".pt")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtypes", "views", "model", "checkpoint", "sgd", "keepvars"})
    void legacyFileLoadsAsInPyTorch(String c) throws Exception {
        Expected.assertMatches(expected(c), TorchFiles.load(dir.resolve(c + "_legacy.pt")));
    }

    @Test
    void viewsShareOneStorage() throws Exception {
        Map<?, ?> sd = (Map<?, ?>) TorchFiles.load(dir.resolve("views.pt"));
        Tensor base = (Tensor) sd.get("base"), slice = (Tensor) sd.get("slice"), t = (Tensor) sd.get("transposed");
        assertThat(slice.storage()).isSameAs(base.storage());
        assertThat(t.storage()).isSameAs(base.storage());
        assertThat(sd.get("same_again")).isSameAs(base);
        base.add_(Tensor.scalar(100)); // writes through every view, as in PyTorch
        assertThat(slice.toFloatArray()).containsExactly(102f, 103f, 104f);
    }

    @Test
    void bigEndianFileIsConverted() throws Exception {
        Path big = dir.resolve("dtypes_big.pt");
        PyTorch.run("bigendian", dir.resolve("dtypes.pt").toString(), big.toString());
        Expected.assertMatches(expected("dtypes"), TorchFiles.load(big));
    }

    @Test
    void checkpointGivesItsModelAndOptimizerState() throws Exception {
        Object ckpt = TorchFiles.load(dir.resolve("checkpoint.pt"));
        StateDict sd = Checkpoint.modelState(ckpt);
        assertThat(sd.tensors().keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias", "3.running_mean",
                "3.running_var", "3.num_batches_tracked");
        assertThat(sd.get("3.num_batches_tracked").dim()).isZero();
        assertThat(sd.get("3.num_batches_tracked").dtype()).isEqualTo(DType.INT64);
        assertThat(sd.get("3.num_batches_tracked").itemLong()).isEqualTo(4);
        assertThat(sd.metadata().get("3")).containsEntry("version", 2L);
        Map<Object, Object> opt = Checkpoint.optimizerState(ckpt);
        assertThat(List.copyOf(((Map<?, ?>) opt.get("state")).keySet())).isEqualTo(List.of(0L, 1L, 2L, 3L, 4L, 5L));
        Map<?, ?> group = (Map<?, ?>) ((List<?>) opt.get("param_groups")).getFirst();
        assertThat(group.get("betas")).isEqualTo(PyTuple.of(0.9, 0.999));
        assertThat(Checkpoint.modelState(TorchFiles.load(dir.resolve("model.pt"))).tensors()).hasSize(9);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Checkpoint.modelState(TorchFiles.load(dir.resolve("sgd.pt")))))
                .hasMessageContaining("no model state").hasMessageContaining("'state'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtypes", "views", "model", "keepvars"})
    void emberWrittenFileLoadsInPyTorchWeightsOnly(String c) throws Exception {
        Path mine = dir.resolve(c + "_ember.pt");
        TorchFiles.save(TorchFiles.load(dir.resolve(c + ".pt")), mine);
        assertThat(PyTorch.run("check", dir.resolve(c + ".pt").toString(), mine.toString(), "--weights-only")).contains("OK");
        Expected.assertMatches(expected(c), TorchFiles.load(mine));
    }

    /** torch 1.13's weights-only unpickler has no BINFLOAT, so files with Python floats load only without it (as torch's own). */
    @ParameterizedTest
    @ValueSource(strings = {"checkpoint", "sgd"})
    void emberWrittenCheckpointLoadsInPyTorch(String c) throws Exception {
        Path mine = dir.resolve(c + "_ember.pt");
        TorchFiles.save(TorchFiles.load(dir.resolve(c + "_legacy.pt")), mine);
        assertThat(PyTorch.run("check", dir.resolve(c + ".pt").toString(), mine.toString())).contains("OK");
        Expected.assertMatches(expected(c), TorchFiles.load(mine));
    }

    @Test
    void stateDictLoadsIntoTheModuleWithAllKeysMatched() throws Exception {
        StateDict sd = Checkpoint.modelState(TorchFiles.load(dir.resolve("checkpoint.pt")));
        Path mine = dir.resolve("model_from_ckpt.pt");
        TorchFiles.save(sd, mine);
        assertThat(PyTorch.run("load_state_dict", mine.toString())).contains("<All keys matched successfully>");
    }

    @Test
    void zip64ArchivesLoadInPyTorch() throws Exception {
        Path mine = dir.resolve("zip64.pt");
        TorchWriter.save(TorchFiles.load(dir.resolve("views.pt")), mine, true);
        assertThat(PyTorch.run("check", dir.resolve("views.pt").toString(), mine.toString(), "--weights-only")).contains("OK");
        Expected.assertMatches(expected("views"), TorchFiles.load(mine));
    }
}

package dev.ember.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class InspectTest {
    record Run(int status, String out, String err) {}

    static Run inspect(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = new Inspect(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String fixture(String name) throws Exception {
        return Path.of(InspectTest.class.getResource("/io/torch2/" + name).toURI()).toString();
    }

    @Test
    void stateDictShowsKeysDtypesAndShapes() throws Exception {
        Run r = inspect(fixture("model.pt"));
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("PyTorch zip archive (folder 'model/', format version 3, little-endian), 9 tensors")
                .contains("OrderedDict (9 entries)").containsPattern("0\\.weight\\s+float32\\s+\\[3, 4\\]")
                .containsPattern("3\\.num_batches_tracked\\s+int64\\s+\\[\\]").contains("_metadata: versions for 5 modules");
    }

    @Test
    void checkpointShowsItsNestedStructure() throws Exception {
        Run r = inspect(fixture("checkpoint.pt"));
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("dict (13 entries)").contains("model_state_dict:").contains("optimizer_state_dict:")
                .containsPattern("epoch\\s+5").containsPattern("loss\\s+0.123").containsPattern("flags\\s+\\(True, False\\)")
                .contains("param_groups:").containsPattern("betas\\s+\\(0.9, 0.999\\)").containsPattern("exp_avg\\s+float32\\s+\\[3, 4\\]");
    }

    @Test
    void viewsAreShownAsViews() throws Exception {
        assertThat(inspect(fixture("views.pt")).out()).containsPattern("transposed\\s+float32\\s+\\[4, 3\\]\\s+\\(view of storage 0: stride \\[1, 4\\], offset 0\\)");
    }

    @Test
    void safetensorsAndModelFolders(@TempDir Path dir) throws Exception {
        Run r = inspect(fixture("reference.safetensors"));
        assertThat(r.out()).contains("safetensors, 7 tensors").contains("__metadata__: {format=pt}").containsPattern("c\\s+BF16\\s+\\[2, 2\\]");
        Files.createDirectories(dir.resolve("lenet/1"));
        Files.copy(Path.of(fixture("model.pt")), dir.resolve("lenet/1/model.pt"));
        Files.copy(Path.of(fixture("reference.safetensors")), dir.resolve("lenet/model.safetensors"));
        Run folder = inspect(dir.resolve("lenet").toString());
        assertThat(folder.status()).isZero();
        assertThat(folder.out()).contains("lenet/1/model.pt: PyTorch zip archive").contains("lenet/model.safetensors: safetensors");
    }

    @Test
    void badFilesGiveAClearErrorAndStatus1(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.pt"), "not a model");
        Run r = inspect(bad.toString(), fixture("model.pt"));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("ember inspect: " + bad + ": not a PyTorch (.pt/.pth) or safetensors file");
        assertThat(r.out()).contains("9 tensors");
        assertThat(inspect(dir.resolve("missing.pt").toString()).err()).contains("no such file");
        assertThat(inspect().status()).isEqualTo(2);
        assertThat(inspect(fixture("uint16.pt")).err()).contains("torch.uint16 is not supported");
    }

    @Test
    void floatsPrintAsPythonReprs() {
        assertThat(Inspect.pyFloat(1e-8)).isEqualTo("1e-08");
        assertThat(Inspect.pyFloat(0.001)).isEqualTo("0.001");
        assertThat(Inspect.pyFloat(0.0001)).isEqualTo("0.0001");
        assertThat(Inspect.pyFloat(0.00001)).isEqualTo("1e-05");
        assertThat(Inspect.pyFloat(123456789.0)).isEqualTo("123456789.0");
        assertThat(Inspect.pyFloat(1e16)).isEqualTo("1e+16");
        assertThat(Inspect.pyFloat(-2.5e-7)).isEqualTo("-2.5e-07");
        assertThat(Inspect.pyFloat(-0.0)).isEqualTo("-0.0");
        assertThat(Inspect.pyFloat(0.1)).isEqualTo("0.1");
    }
}

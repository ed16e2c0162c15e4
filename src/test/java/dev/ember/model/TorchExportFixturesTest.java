package dev.ember.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models exported by tools/export_model.py under torch 2.x, where it traces with torch.export (ATen graphs with
 * aten.conv2d/linear/batch_norm/layer_norm..., parameters as get_attr by state_dict key), committed under
 * src/test/resources/model/torch2 with PyTorch's outputs and gradients. Regenerate with a torch 2.x Python:
 * {@code python src/test/resources/model/models.py make src/test/resources/model/torch2 lenet_tutorial rescnn norm_mlp embed two_heads param_list}.
 */
class TorchExportFixturesTest {
    static Path fixture(String name) throws Exception {
        return Path.of(TorchExportFixturesTest.class.getResource("/model/torch2/" + name + "/model.json").toURI()).getParent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet_tutorial", "rescnn", "norm_mlp", "embed", "two_heads", "param_list"})
    void torchExportGraphsGivePyTorchsOutputsAndGradients(String name) throws Exception {
        Path dir = fixture(name);
        assertThat(ModelSpec.read(dir.resolve("model.json")).producer().get("tracer")).isEqualTo("torch.export");
        assertThat(Files.readString(dir.resolve("model.json"))).contains("\"aten.");
        ExportedModelsTest.checkAgainstPyTorch(LoadedModel.load(dir, 1), dir);
    }
}

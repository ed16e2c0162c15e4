package dev.ember.model;

import dev.ember.io.ModelFormatException;
import dev.ember.io.SafeTensors;
import dev.ember.io.TorchFiles;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ember.model.Specs.n;
import static dev.ember.model.Specs.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading a model from a repository folder: weights found and loaded strictly (PyTorch's error texts), inputs checked, graph errors named. */
class LoadedModelTest {
    @TempDir
    Path dir;

    /** models/net/model.json + models/net/1/model.pt holding {@code weights}. */
    Path repo(String spec, Map<String, Tensor> weights) throws Exception {
        Path model = dir.resolve("net");
        Files.createDirectories(model.resolve("1"));
        Files.writeString(model.resolve("model.json"), spec);
        TorchFiles.save(weights, model.resolve("1/model.pt"));
        return model;
    }

    static Map<String, Tensor> linearWeights() {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("fc.weight", Tensor.randn(3, 4));
        w.put("fc.bias", Tensor.randn(3));
        return w;
    }

    @Test
    void loadsWeightsByPyTorchKey() throws Exception {
        Map<String, Tensor> w = linearWeights();
        LoadedModel m = LoadedModel.load(repo(Specs.BASE, w), 1);
        assertThat(m.module().typeName()).isEqualTo("Net");
        assertThat(m.module().stateDict().get("fc.weight").toFloatArray()).containsExactly(w.get("fc.weight").toFloatArray());
        assertThat(m.module().isTraining()).isFalse();
        assertThat(m.module().toString()).isEqualTo("Net(\n  (fc): Linear(in_features=4, out_features=3, bias=True)\n)");
    }

    @Test
    void missingAndUnexpectedKeysFailWithPyTorchsText() throws Exception {
        Map<String, Tensor> w = linearWeights();
        w.remove("fc.bias");
        w.put("fc.scale", Tensor.ones(3));
        Path model = repo(Specs.BASE, w);
        assertThatThrownBy(() -> LoadedModel.load(model, 1)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("model.pt: Error(s) in loading state_dict for Net:\n\tMissing key(s) in state_dict: \"fc.bias\". \n\t"
                        + "Unexpected key(s) in state_dict: \"fc.scale\". ");
    }

    @Test
    void sizeMismatchFailsWithPyTorchsText() throws Exception {
        Map<String, Tensor> w = linearWeights();
        w.put("fc.weight", Tensor.randn(3, 5));
        Path model = repo(Specs.BASE, w);
        assertThatThrownBy(() -> LoadedModel.load(model, 1)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("size mismatch for fc.weight: copying a param with shape torch.Size([3, 5]) from checkpoint, the shape in current model is "
                        + "torch.Size([3, 4]).");
    }

    @Test
    void findsSafetensorsAndRefusesAmbiguousOrMissingWeights() throws Exception {
        Path model = dir.resolve("net");
        Files.createDirectories(model.resolve("1"));
        Files.writeString(model.resolve("model.json"), Specs.BASE);
        assertThatThrownBy(() -> LoadedModel.load(model, 1)).hasMessageContaining("no weights file (expected one of [model.pt, model.pth, model.safetensors])");
        SafeTensors.save(linearWeights(), model.resolve("1/model.safetensors"));
        assertThat(LoadedModel.load(model, 1).module().stateDict()).containsKeys("fc.weight", "fc.bias");
        TorchFiles.save(linearWeights(), model.resolve("1/model.pt"));
        assertThatThrownBy(() -> LoadedModel.load(model, 1)).hasMessageContaining("more than one weights file");
        assertThatThrownBy(() -> LoadedModel.load(model, 2)).hasMessageContaining("no version 2");
    }

    @Test
    void aVersionMayCarryItsOwnModelJson() throws Exception {
        Path model = repo("not json at all", linearWeights());
        Files.writeString(model.resolve("1/model.json"), Specs.BASE);
        assertThat(LoadedModel.load(model, 1).spec().rootName()).isEqualTo("Net");
    }

    static String addGraph(String op, Object other) {
        return Specs.graph(List.of(-1, 4), List.of(-1, 4), List.of(n("y", "call_function", op, ref("x"), other), n("output", "output", null, ref("y"))));
    }

    @Test
    void inputsAreCheckedAgainstTheSignature() throws Exception {
        LoadedModel m = LoadedModel.load(repo(addGraph("operator.add", 1L), Map.of()), 1);
        assertThatThrownBy(() -> m.forward(Map.of())).hasMessage("missing input 'x' (x: float32[-1, 4])");
        assertThatThrownBy(() -> m.forward(Map.of("x", Tensor.zeros(new int[] {2, 4}, DType.INT64)))).hasMessage("input 'x' is int64 but the model takes float32");
        assertThatThrownBy(() -> m.forward(Map.of("x", Tensor.zeros(2, 5)))).hasMessage("input 'x' has shape [2, 5] but the model takes [-1, 4]");
        assertThatThrownBy(() -> m.forward(Map.of("x", Tensor.zeros(2, 4), "y", Tensor.zeros(1)))).hasMessage("unexpected input 'y'; the model takes [x]");
        assertThat(m.forward(Map.of("x", Tensor.zeros(2, 4))).get("output").toFloatArray()).containsOnly(1f);
    }

    @Test
    void aNodeThatFailsAtRunTimeIsNamed() throws Exception {
        LoadedModel m = LoadedModel.load(repo(addGraph("operator.add", "one"), Map.of()), 1);
        assertThatThrownBy(() -> m.forward(Map.of("x", Tensor.zeros(2, 4)))).isInstanceOf(GraphException.class)
                .hasMessage("graph node 'y' (call_function operator.add): unsupported operand type(s) for +: 'Tensor' and 'str'");
    }

    @Test
    void runsUnderNoGradForInferenceAndRecordsForTraining() throws Exception {
        Map<String, Object> kw = Map.of("weight", ref("w"));
        String spec = Specs.graph(List.of(-1, 3), List.of(-1, 3), List.of(n("w", "get_attr", "w"),
                n("y", "call_function", "operator.mul", ref("x"), ref("w")), n("output", "output", null, ref("y"))));
        spec = spec.replace("\"class\":\"test.Fn\"", "\"class\":\"test.Fn\",\"parameters\":{\"w\":{\"shape\":[3],\"dtype\":\"float32\"}}");
        LoadedModel m = LoadedModel.load(repo(spec, Map.of("w", Tensor.of(1, 2, 3))), 1);
        assertThat(m.forward(Map.of("x", Tensor.ones(2, 3))).get("output").requiresGrad()).isFalse();
        Tensor y = (Tensor) m.call(Tensor.ones(2, 3));
        assertThat(y.requiresGrad()).isTrue();
        y.sum().backward();
        assertThat(m.module().getParameter("w").grad().toFloatArray()).containsExactly(2f, 2f, 2f);
        assertThat(kw).isNotEmpty();
    }
}

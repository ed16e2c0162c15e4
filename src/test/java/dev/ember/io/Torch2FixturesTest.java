package dev.ember.io;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files written by torch 2.x (byteorder, .format_version, .storage_alignment, .data/serialization_id records,
 * numeric storage order) and by the reference safetensors package, committed by tools/io/make_torch2_fixtures.py.
 */
class Torch2FixturesTest {
    static Path fixture(String name) throws Exception {
        return Path.of(Torch2FixturesTest.class.getResource("/io/torch2/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dtypes", "views", "model", "checkpoint", "sgd", "keepvars"})
    void torch2FileLoadsAsInPyTorch(String c) throws Exception {
        Expected.assertMatches(Json.parse(Files.readString(fixture(c + ".json"))), TorchFiles.load(fixture(c + ".pt")));
    }

    @Test
    void torch2OnlyValues() throws Exception {
        Map<?, ?> m = (Map<?, ?>) TorchFiles.load(fixture("extras.pt"));
        assertThat(m.get("cpu")).isEqualTo(Device.CPU);
        assertThat(m.get("cuda1")).isEqualTo(Device.cuda(1));
        assertThat(m.get("set")).isEqualTo(Set.of(1L, 2L, 3L));
        assertThat((byte[]) m.get("bytes")).containsExactly('x', 0, 0xff);
        assertThat(m.get("size")).isEqualTo(PyTuple.of(2L, 3L));
        assertThat(m.get("dtype")).isEqualTo(DType.FLOAT16);
    }

    @Test
    void unsupportedTorch2TensorsAreRefusedByName() {
        assertThatThrownBy(() -> TorchFiles.load(fixture("uint16.pt"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("torch.uint16 is not supported");
        assertThatThrownBy(() -> TorchFiles.load(fixture("negbit.pt"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("neg view bit");
        assertThatThrownBy(() -> TorchFiles.load(fixture("param_state.pt"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Parameter with Python attributes");
    }

    @Test
    void referenceSafetensorsLoad() throws Exception {
        SafeTensors.Contents c = SafeTensors.load(fixture("reference.safetensors"));
        assertThat(c.metadata()).containsExactly(Map.entry("format", "pt"));
        Map<Object, Object> asDict = new LinkedHashMap<>();
        Map<?, ?> expected = (Map<?, ?>) Json.parse(Files.readString(fixture("reference.json")));
        // the reference orders entries by dtype size then name; compare by name in PyTorch's order
        for (Object pair : (java.util.List<?>) expected.get("__odict__")) {
            String k = (String) ((java.util.List<?>) pair).get(0);
            asDict.put(k, c.tensors().get(k));
        }
        PyOrderedDict od = new PyOrderedDict(asDict);
        Expected.assertMatches(expected, od);
    }

    /** Same tensors and metadata: Ember's writer produces the reference implementation's bytes. */
    @Test
    void safetensorsWriterMatchesTheReferenceByteForByte(@TempDir Path dir) throws Exception {
        SafeTensors.Contents c = SafeTensors.load(fixture("reference.safetensors"));
        Path mine = dir.resolve("mine.safetensors");
        SafeTensors.save(c.tensors(), c.metadata(), mine);
        assertThat(Files.readAllBytes(mine)).isEqualTo(Files.readAllBytes(fixture("reference.safetensors")));
        Tensor t = SafeTensors.load(mine).tensors().get("e");
        assertThat(t.dim()).isZero();
        assertThat(t.item()).isEqualTo(2.5);
    }
}

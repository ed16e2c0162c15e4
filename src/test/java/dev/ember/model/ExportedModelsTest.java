package dev.ember.model;

import dev.ember.io.SafeTensors;
import dev.ember.nn.Parameter;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models exported from real PyTorch 1.13 by tools/export_model.py (fx graphs, make_fx ATen graphs, a plain
 * Sequential without a graph) give PyTorch's outputs in Ember at several batch sizes, and the gradients of
 * sum(outputs) with respect to every parameter, through the graph interpreter with autograd on.
 */
class ExportedModelsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void export() {
        PyTorchModels.make(dir);
    }

    static Map<String, Map<String, Tensor>> ioFiles(Path caseDir) throws Exception {
        Map<String, Map<String, Tensor>> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(caseDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("io_b")).sorted().toList())
                out.put(f.getFileName().toString(), SafeTensors.load(f).tensors());
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** Checks outputs under {@link LoadedModel#forward} (no grad) and gradients under {@link LoadedModel#call} (autograd). */
    static void checkAgainstPyTorch(LoadedModel model, Path caseDir) throws Exception {
        for (Map.Entry<String, Map<String, Tensor>> io : ioFiles(caseDir).entrySet()) {
            Map<String, Tensor> t = io.getValue();
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            t.forEach((k, v) -> { if (k.startsWith("input.")) inputs.put(k.substring(6), v); });
            Map<String, Tensor> outputs = model.forward(inputs);
            for (Map.Entry<String, Tensor> e : t.entrySet()) {
                if (!e.getKey().startsWith("output.")) continue;
                String name = e.getKey().substring(7);
                assertThat(outputs).containsKey(name);
                assertClose(outputs.get(name), e.getValue(), 1e-4, 1e-5, caseDir.getFileName() + " " + io.getKey() + " " + name);
            }
            model.module().zeroGrad(true);
            Object result = model.call(inputs.values().toArray());
            Tensor loss = null;
            for (Object o : result instanceof List<?> l ? l : List.of(result)) loss = loss == null ? ((Tensor) o).sum() : loss.add(((Tensor) o).sum());
            loss.backward();
            Map<String, Parameter> params = model.module().namedParameters();
            for (Map.Entry<String, Tensor> e : t.entrySet()) {
                if (!e.getKey().startsWith("grad.")) continue;
                String name = e.getKey().substring(5);
                assertThat(params).containsKey(name);
                assertThat(params.get(name).grad()).as(name + " has a gradient").isNotNull();
                assertClose(params.get(name).grad(), e.getValue(), 1e-3, 1e-4, caseDir.getFileName() + " " + io.getKey() + " grad " + name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet_tutorial", "lenet_tutorial_safetensors", "rescnn", "norm_mlp", "embed", "flat_cnn_make_fx", "param_list", "two_heads",
            "sequential", "seed_mlp", "seed_fashion", "seed_lenet", "seed_alexnet",
            // coverage_models.py: recurrent layers, attention, transformers, resampling, creation, statistics, sorting, indexing, view ops
            "lstm", "bigru", "rnn", "conv1d", "attn", "gated", "dense", "decoder", "misc", "func", "seqmods", "modlist", "stats", "posemb",
            "creation", "normed", "topk", "where", "rnnseq", "depthwise", "upsampling", "viewops", "laststep", "celu", "drop2d", "pool1d",
            "mobile", "unetish", "acts", "seq1d", "mha", "transformer", "cells",
            // order statistics, scans, scatter reductions, einsum and matrix parts, binning and bitwise masks, unique
            "robust", "robust_make_fx", "scans", "scans_make_fx", "segments", "segments_make_fx", "einsum_attn", "einsum_attn_make_fx", "geometry",
            "geometry_make_fx", "buckets", "buckets_make_fx", "vocab", "vocab_make_fx"})
    void givesPyTorchsOutputsAndGradients(String name) throws Exception {
        LoadedModel model = LoadedModel.load(dir.resolve(name), 1);
        checkAgainstPyTorch(model, dir.resolve(name));
    }

    @Test
    void tutorialLeNetIsAnAtenGraphFromMakeFxThatServesAnyBatchSize() throws Exception {
        ModelSpec spec = ModelSpec.read(dir.resolve("lenet_tutorial/model.json"));
        assertThat(spec.producer().get("tracer")).isEqualTo("make_fx");
        assertThat(spec.signature().batched()).isTrue();
        assertThat(Files.readString(dir.resolve("lenet_tutorial/model.json"))).contains("aten.convolution.default", "aten.addmm.default",
                "aten.max_pool2d_with_indices.default", "operator.getitem");
        LoadedModel m = LoadedModel.load(dir.resolve("lenet_tutorial"), 1);
        assertThat(m.module().typeName()).isEqualTo("Net");
        assertThat(m.module().stateDict().keySet()).containsExactly("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");
    }

    @Test
    void makeFxBatchSizeBecomesTheInputsSize() throws Exception {
        String json = Files.readString(dir.resolve("flat_cnn_make_fx/model.json"));
        assertThat(json).contains("\"aten.sym_size.int\"", "\"batch_size\"");
        LoadedModel m = LoadedModel.load(dir.resolve("flat_cnn_make_fx"), 1);
        assertThat(m.forward(Map.of("x", Tensor.randn(11, 2, 8, 8))).get("output").shape()).containsExactly(11, 6);
    }

    @Test
    void plainSequentialHasNoGraph() throws Exception {
        ModelSpec spec = ModelSpec.read(dir.resolve("sequential/model.json"));
        assertThat(spec.hasGraph()).isFalse();
        assertThat(LoadedModel.load(dir.resolve("sequential"), 1).module()).isInstanceOf(dev.ember.nn.Sequential.class);
    }

    @Test
    void configJsonAgreesWithTheSignature() throws Exception {
        Map<?, ?> cfg = (Map<?, ?>) dev.ember.io.Json.parse(Files.readString(dir.resolve("embed/config.json")));
        assertThat(cfg.get("name")).isEqualTo("embed");
        assertThat(cfg.get("max_batch_size")).isEqualTo(64L);
        Map<?, ?> in = (Map<?, ?>) ((List<?>) cfg.get("input")).getFirst();
        assertThat(in.get("name")).isEqualTo("ids");
        assertThat(in.get("data_type")).isEqualTo("TYPE_INT64");
        ModelSpec spec = ModelSpec.read(dir.resolve("embed/model.json"));
        TensorSignature ids = spec.signature().input("ids");
        assertThat(ids.mismatch(dev.ember.tensor.DType.INT64, new long[] {7}, true)).isNull();
        assertThat(ids.mismatch(dev.ember.tensor.DType.INT64, new long[] {8}, true)).contains("dim 1 is 7 in model.json but 8 in config.json");
        assertThat(ids.mismatch(dev.ember.tensor.DType.FLOAT32, new long[] {7}, true)).contains("int64 in model.json but float32");
    }

    @Test
    void twoOutputsAreNamedInOrder() throws Exception {
        LoadedModel m = LoadedModel.load(dir.resolve("two_heads"), 1);
        assertThat(m.forward(Map.of("x", Tensor.randn(2, 6))).keySet()).containsExactly("output_0", "output_1");
    }
}

package dev.ember.model;

import dev.ember.tensor.Tensor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * A parsed and checked model.json (docs/model-format.md): the module tree, the forward graph (absent for a plain
 * Sequential), the inputs/outputs signature, and small constant tensors the graph uses. Parsing checks the whole
 * structure (types, names, node references, cycles, limits) but builds nothing; {@link LoadedModel} builds and
 * runs it.
 */
public final class ModelSpec {
    /** The {@code format} field every model.json carries. */
    public static final String FORMAT = "ember.model";
    /** The newest {@code format_version} this Ember reads. */
    public static final int FORMAT_VERSION = 1;

    private final int formatVersion;
    private final Map<String, Object> producer;
    private final ModelSignature signature;
    final ModuleSpec modules;
    final List<NodeSpec> graph;
    final Map<String, Tensor> constants;
    final Program program;

    ModelSpec(int formatVersion, Map<String, Object> producer, ModelSignature signature, ModuleSpec modules, List<NodeSpec> graph,
              Map<String, Tensor> constants, Program program) {
        this.formatVersion = formatVersion;
        this.producer = producer;
        this.signature = signature;
        this.modules = modules;
        this.graph = graph;
        this.constants = constants;
        this.program = program;
    }

    /** Reads {@code file} (a model.json); every problem is a {@link ModelSpecException} naming the file and the place. */
    public static ModelSpec read(Path file) throws IOException { return read(file, ModelLimits.DEFAULT); }

    public static ModelSpec read(Path file, ModelLimits limits) throws IOException {
        long size;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            size = ch.size();
        } catch (NoSuchFileException e) {
            throw new ModelSpecException(file + ": no such file (a model needs a model.json beside config.json)");
        }
        if (size > limits.maxSpecBytes()) throw new ModelSpecException(file + ": " + size + " bytes exceeds the limit of " + limits.maxSpecBytes());
        return parse(Files.readAllBytes(file), file.toString(), limits);
    }

    /** Parses model.json text; {@code source} names it in error messages. */
    public static ModelSpec parse(String json, String source) throws ModelSpecException {
        return parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), source, ModelLimits.DEFAULT);
    }

    public static ModelSpec parse(byte[] utf8, String source, ModelLimits limits) throws ModelSpecException {
        return new SpecReader(source, limits).read(utf8);
    }

    public int formatVersion() { return formatVersion; }

    /** Free-form facts about who wrote the file (torch version, tracer); informational only. */
    public Map<String, Object> producer() { return producer; }

    public ModelSignature signature() { return signature; }

    /** Whether the spec has a forward graph (a plain Sequential has none: its forward is the chain). */
    public boolean hasGraph() { return graph != null; }

    /** The root module's PyTorch class name ({@code Net}, {@code Sequential}). */
    public String rootName() { return modules.shortName(); }
}

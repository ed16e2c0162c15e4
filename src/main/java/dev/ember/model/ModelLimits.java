package dev.ember.model;

/**
 * Caps for reading untrusted model.json files. Everything in a spec is checked against these before anything of
 * that size is built, so a hostile spec fails with a {@link ModelSpecException} instead of exhausting memory or
 * the stack.
 *
 * @param maxSpecBytes          the model.json file
 * @param maxJsonDepth          nesting of JSON arrays and objects
 * @param maxModuleDepth        nesting of modules in the module tree
 * @param maxModules            modules in the tree
 * @param maxNodes              graph nodes
 * @param maxArgElements        values inside one node's args and kwargs (list elements included)
 * @param maxNameLength         a module, parameter or node name, a target
 * @param maxTensorElements     elements of one parameter, buffer or constant
 * @param maxParameterElements  elements of all parameters and buffers together (float32: 4 bytes each)
 * @param maxInlineElements     elements of tensor data written inline in model.json (constants, non-persistent buffers)
 */
public record ModelLimits(long maxSpecBytes, int maxJsonDepth, int maxModuleDepth, int maxModules, int maxNodes, int maxArgElements,
                          int maxNameLength, long maxTensorElements, long maxParameterElements, long maxInlineElements) {

    /** Generous for real models (billions of parameters, graphs of a hundred thousand nodes). */
    public static final ModelLimits DEFAULT = new ModelLimits(64L << 20, 64, 24, 100_000, 200_000, 100_000, 1_000, Integer.MAX_VALUE - 8,
            8L << 30, 1L << 20);

    public ModelLimits {
        if (maxSpecBytes <= 0 || maxJsonDepth <= 0 || maxModuleDepth <= 0 || maxModules <= 0 || maxNodes <= 0 || maxArgElements <= 0
                || maxNameLength <= 0 || maxTensorElements <= 0 || maxParameterElements <= 0 || maxInlineElements < 0)
            throw new IllegalArgumentException("model limits must be positive: " + this);
    }

    public ModelLimits withMaxParameterElements(long v) {
        return new ModelLimits(maxSpecBytes, maxJsonDepth, maxModuleDepth, maxModules, maxNodes, maxArgElements, maxNameLength, maxTensorElements, v,
                maxInlineElements);
    }

    public ModelLimits withMaxNodes(int v) {
        return new ModelLimits(maxSpecBytes, maxJsonDepth, maxModuleDepth, maxModules, v, maxArgElements, maxNameLength, maxTensorElements,
                maxParameterElements, maxInlineElements);
    }

    public ModelLimits withMaxSpecBytes(long v) {
        return new ModelLimits(v, maxJsonDepth, maxModuleDepth, maxModules, maxNodes, maxArgElements, maxNameLength, maxTensorElements,
                maxParameterElements, maxInlineElements);
    }
}

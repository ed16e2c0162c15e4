package dev.ember.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every call_function target and call_method name a graph may use, filled by the op families
 * ({@link TorchFunctions}, {@link AtenOps}, {@link PythonOps}, {@link TensorMethods}, {@link CommonOps},
 * {@link StatisticsOps}, {@link MatrixOps}, {@link IndexingOps}, {@link Factories}). Names are PyTorch's own, as
 * torch.fx records them ({@code torch.nn.functional.relu}, {@code operator.add}, {@code aten.view.default}).
 */
final class OpTable {
    private static final Map<String, Op> FUNCTIONS = new LinkedHashMap<>();
    private static final Map<String, Op> METHODS = new LinkedHashMap<>();

    static {
        TorchFunctions.register();
        AtenOps.register();
        PythonOps.register();
        TensorMethods.register();
        CommonOps.register();
        StatisticsOps.register();
        MatrixOps.register();
        IndexingOps.register();
        Factories.register();
    }

    private OpTable() {}

    /** Registers {@code target} with a signature in schema syntax; the name in Python errors is the target's last part. */
    static void function(String target, String schema, Op.Impl impl) {
        String fn = target.startsWith("aten.") ? target.split("\\.")[1] : target.substring(target.lastIndexOf('.') + 1);
        if (FUNCTIONS.put(target, new Op(target, Signature.parse(fn, schema), impl)) != null) throw new IllegalStateException("duplicate op " + target);
    }

    /** Further names for a registered function ({@code torch.conv2d} is {@code torch.nn.functional.conv2d}). */
    static void alias(String alias, String target) {
        Op op = FUNCTIONS.get(target);
        if (op == null) throw new IllegalStateException("alias " + alias + " of unregistered " + target);
        if (FUNCTIONS.put(alias, op) != null) throw new IllegalStateException("duplicate op " + alias);
    }

    static void method(String name, String schema, Op.Impl impl) {
        if (METHODS.put(name, new Op(name, Signature.parse(name, schema), impl)) != null) throw new IllegalStateException("duplicate method " + name);
    }

    static Op function(String target) { return FUNCTIONS.get(target); }

    static Op method(String name) { return METHODS.get(name); }

    static Map<String, Op> functions() { return Collections.unmodifiableMap(FUNCTIONS); }

    static Map<String, Op> methods() { return Collections.unmodifiableMap(METHODS); }
}

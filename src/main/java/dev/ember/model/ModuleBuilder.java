package dev.ember.model;

import dev.ember.nn.Module;
import dev.ember.nn.ModuleDict;
import dev.ember.nn.ModuleList;
import dev.ember.nn.Parameter;
import dev.ember.nn.ParameterDict;
import dev.ember.nn.ParameterList;
import dev.ember.nn.Sequential;
import dev.ember.tensor.Tensor;

import java.util.Map;

/** Builds the Module tree of a checked {@link ModelSpec}: known torch.nn types by their constructors, user classes as {@link GenericModule}s. */
final class ModuleBuilder {
    private ModuleBuilder() {}

    /** The model's root: a {@link GraphModule} when the spec has a graph, else the module the spec describes. */
    static Module buildRoot(ModelSpec spec) throws ModelSpecException {
        if (spec.program == null) return build(spec.modules, "modules");
        GraphModule root = new GraphModule(spec.modules.shortName(), spec.program, spec.constants);
        fill(root, spec.modules, "modules");
        return root;
    }

    static Module build(ModuleSpec m, String path) throws ModelSpecException {
        Module module;
        if (m.generic()) {
            module = new GenericModule(m.className() == null ? ModuleSpec.GENERIC : m.className());
        } else {
            ModuleTypes.Type t = ModuleTypes.get(m.type());
            try {
                module = t.build().apply(ModuleTypes.bind(t, m.args()));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                throw new ModelSpecException(path + " (" + m.type() + "): " + e.getMessage(), e);
            }
        }
        fill(module, m, path);
        return module;
    }

    /** Registers children, parameters and buffers in the spec's order, so state_dict keys come out in PyTorch's order. */
    private static void fill(Module module, ModuleSpec m, String path) throws ModelSpecException {
        for (Map.Entry<String, TensorDecl> e : m.parameters().entrySet()) {
            TensorDecl d = e.getValue();
            Tensor value = d.data() != null ? d.data() : Tensor.empty(d.shape(), d.dtype());
            Parameter p = new Parameter(value, d.requiresGrad());
            switch (module) {
                case ParameterList l -> l.add(p);
                case ParameterDict pd -> pd.put(e.getKey(), p);
                default -> module.registerParameter(e.getKey(), p);
            }
        }
        for (Map.Entry<String, TensorDecl> e : m.buffers().entrySet()) {
            TensorDecl d = e.getValue();
            module.registerBuffer(e.getKey(), d.data() != null ? d.data() : Tensor.empty(d.shape(), d.dtype()), d.persistent());
        }
        for (Map.Entry<String, ModuleSpec> e : m.children().entrySet()) {
            Module child = build(e.getValue(), path + ".children." + e.getKey());
            switch (module) {
                case Sequential s -> s.register(e.getKey(), child);
                case ModuleList l -> l.add(child);
                case ModuleDict d -> d.put(e.getKey(), child);
                default -> module.register(e.getKey(), child);
            }
        }
    }
}

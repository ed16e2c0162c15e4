package dev.ember.model;

import dev.ember.nn.Module;
import dev.ember.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * torch.fx's GraphModule: the model's root module (its children, parameters and buffers, under the traced class's
 * name, so state_dict keys and load errors read as PyTorch's) whose forward runs the graph. It is a Module like any
 * other: {@code parameters()} for an optimizer, {@code train()}/{@code eval()}, and a differentiable {@link #call}.
 */
public final class GraphModule extends Module {
    private final String className;
    private final Program program;
    private final Map<String, Tensor> constants;

    GraphModule(String className, Program program, Map<String, Tensor> constants) {
        this.className = className;
        this.program = program;
        this.constants = Map.copyOf(constants);
    }

    @Override
    public String typeName() { return className; }

    /** Checks every attribute and module the graph names exists (done once the tree is built). */
    void link() throws ModelSpecException { program.link(this, constants); }

    @Override
    public Tensor forward(Tensor input) {
        Object out = call(input);
        if (out instanceof Tensor t) return t;
        throw new IllegalStateException(className + ".forward returns " + ArgType.pyType(out) + ", not one tensor; use call()");
    }

    /** Runs the graph on the inputs (one per placeholder); a tuple result is a List, a dict a Map, as forward returns them. */
    @Override
    public Object call(Object... args) { return program.run(this, constants, Arrays.asList(args)); }

    /** The same, with the inputs as a list. */
    public Object call(List<?> inputs) { return program.run(this, constants, inputs); }
}

package dev.ember.model;

import dev.ember.nn.Module;
import dev.ember.tensor.Tensor;

/**
 * A user-defined module class (a Python {@code nn.Module} subclass such as {@code ResidualBlock}): its children,
 * parameters and buffers, under its Python class name. Its forward was Python code, which the model's graph
 * carries; the module itself only holds state.
 */
public class GenericModule extends Module {
    private final String className;

    public GenericModule(String className) { this.className = className; }

    @Override
    public String typeName() { return className.substring(className.lastIndexOf('.') + 1); }

    /** The Python class as model.json names it ({@code mymodels.ResidualBlock}). */
    public String className() { return className; }

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(typeName() + " is a user-defined module: Ember runs its forward only as part of the model's graph");
    }
}

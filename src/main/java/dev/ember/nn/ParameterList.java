package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** {@code nn.ParameterList}: parameters named "0", "1", ...; plain tensors are wrapped as Parameters. */
public class ParameterList extends Module implements Iterable<Parameter> {

    public ParameterList(Tensor... values) {
        for (Tensor t : values) add(t);
    }

    public ParameterList(Iterable<? extends Tensor> values) {
        for (Tensor t : values) add(t);
    }

    /** {@code append(value)}. */
    public ParameterList add(Tensor value) {
        registerParameter(String.valueOf(size()), value);
        return this;
    }

    public ParameterList extend(Iterable<? extends Tensor> values) {
        for (Tensor t : values) add(t);
        return this;
    }

    public Parameter get(int index) { return param(String.valueOf(Sequential.absIndex(index, size()))); }

    public void set(int index, Tensor value) { registerParameter(String.valueOf(Sequential.absIndex(index, size())), value); }

    public int size() { return ownParameters().size(); }

    @Override
    public Iterator<Parameter> iterator() { return new ArrayList<>(ownParameters().values()).iterator(); }

    @Override
    public Object call(Object... args) { throw new IllegalStateException("ParameterList should not be called."); }

    @Override
    public String extraRepr() {
        List<String> lines = new ArrayList<>();
        int k = 0;
        for (Parameter p : ownParameters().values()) lines.add("  (" + k++ + "): " + describe(p, p.dtype().toString()));
        return String.join("\n", lines);
    }

    /** {@code Parameter containing: [torch.float32 of size 4x4]}, with the GPU suffix PyTorch adds. */
    static String describe(Parameter p, String typeText) {
        StringBuilder size = new StringBuilder();
        for (int d : p.shape()) size.append(size.isEmpty() ? "" : "x").append(d);
        String device = p.device().isCpu() ? "" : " (GPU " + Math.max(p.device().index(), 0) + ")";
        return "Parameter containing: [" + typeText + " of size " + size + device + "]";
    }
}

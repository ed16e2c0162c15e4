package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@code nn.Sequential}: children named "0", "1", ... (or by the given map's keys), chained in order by forward. */
public class Sequential extends Module implements Iterable<Module> {

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** {@code Sequential(OrderedDict(...))}: children named by the map's keys, in its iteration order. */
    public Sequential(Map<String, ? extends Module> modules) {
        modules.forEach(this::register);
    }

    /** {@code append(module)}: registers under the next index. */
    public Sequential add(Module module) {
        register(String.valueOf(ownModules().size()), module);
        return this;
    }

    public int size() { return ownModules().size(); }

    /** {@code seq[i]}, negative indices counting from the end. */
    public Module get(int index) { return new ArrayList<>(ownModules().values()).get(absIndex(index, size())); }

    /** {@code seq[from:to]}: a new Sequential with the same children under the same names. */
    public Sequential slice(int from, int to) {
        var entries = new ArrayList<>(ownModules().entrySet());
        Sequential s = new Sequential();
        int n = entries.size();
        int a = Math.clamp(from < 0 ? from + n : from, 0, n), b = Math.clamp(to < 0 ? to + n : to, 0, n);
        for (int i = a; i < b; i++) s.register(entries.get(i).getKey(), entries.get(i).getValue());
        return s;
    }

    static int absIndex(int index, int size) {
        if (index < -size || index >= size) throw new IndexOutOfBoundsException("index " + index + " is out of range");
        return index < 0 ? index + size : index;
    }

    @Override
    public Tensor forward(Tensor input) {
        for (Module m : ownModules().values()) input = m.forward(input);
        return input;
    }

    @Override
    public Iterator<Module> iterator() { return List.copyOf(ownModules().values()).iterator(); }
}

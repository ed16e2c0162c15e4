package dev.ember.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** {@code nn.ModuleList}: registered children named by their index; it has no forward of its own. */
public class ModuleList extends Module implements Iterable<Module> {

    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    public ModuleList(Iterable<? extends Module> modules) {
        for (Module m : modules) add(m);
    }

    /** {@code append(module)}. */
    public ModuleList add(Module module) {
        register(String.valueOf(size()), module);
        return this;
    }

    public ModuleList extend(Iterable<? extends Module> modules) {
        for (Module m : modules) add(m);
        return this;
    }

    /** {@code insert(index, module)}: later modules move up one index, as in PyTorch. */
    public void insert(int index, Module module) {
        List<Module> all = new ArrayList<>(ownModules().values());
        int n = all.size();
        int at = index < 0 ? Math.max(0, index + n) : Math.min(index, n);
        all.add(at, module);
        for (int i = 0; i < n; i++) unregister(String.valueOf(i));
        for (int i = 0; i <= n; i++) register(String.valueOf(i), all.get(i));
    }

    public Module get(int index) { return child(String.valueOf(Sequential.absIndex(index, size()))); }

    public void set(int index, Module module) { register(String.valueOf(Sequential.absIndex(index, size())), module); }

    public int size() { return ownModules().size(); }

    @Override
    public Iterator<Module> iterator() { return List.copyOf(ownModules().values()).iterator(); }
}

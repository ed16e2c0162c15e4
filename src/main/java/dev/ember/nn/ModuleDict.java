package dev.ember.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code nn.ModuleDict}: children by key in insertion order; it has no forward of its own. */
public class ModuleDict extends Module {

    public ModuleDict() {}

    /** Keys in the map's iteration order (use a LinkedHashMap for a fixed order), as ModuleDict.update does. */
    public ModuleDict(Map<String, ? extends Module> modules) { update(modules); }

    public ModuleDict update(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
        return this;
    }

    public Module put(String key, Module module) { return register(key, module); }

    public Module get(String key) {
        if (!containsKey(key)) throw new IllegalArgumentException("'" + key + "'");
        return child(key);
    }

    public boolean containsKey(String key) { return hasChild(key); }

    public Module remove(String key) {
        Module m = get(key);
        unregister(key);
        return m;
    }

    public Set<String> keys() { return ownModules().keySet(); }

    public List<Module> values() { return new ArrayList<>(ownModules().values()); }

    public int size() { return ownModules().size(); }
}

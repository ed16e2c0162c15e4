package dev.ember.nn;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code torch.nn.Module}: parameters, buffers and child modules registered by name in insertion order, so
 * that {@link #stateDict()} keys and {@link #toString()} match PyTorch's for the same tree.
 *
 * <p>Java has no {@code __setattr__}, so registration is explicit:
 * <pre>{@code
 * class Net extends Module {
 *     final Linear fc1 = register("fc1", new Linear(784, 256));
 *     final Linear fc2 = register("fc2", new Linear(256, 10));
 *     public Tensor forward(Tensor x) { return fc2.forward(F.relu(fc1.forward(x))); }
 * }
 * }</pre>
 *
 * <p>{@link #forward(Tensor)} is the typed one-tensor entry point; {@link #call(Object...)} is the generic one
 * (positional arguments, a Tensor or a List for tuple results) that graph executors use for any module.
 *
 * <p>Converting dtype or device ({@link #to(DType)}, {@link #to(Device)}) registers new {@link Parameter}
 * objects, as PyTorch does when it cannot swap {@code .data} in place; read parameters through the module
 * (built-in layers do) rather than caching them across a conversion.
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistentBuffers = new HashSet<>();
    private final LinkedHashMap<String, Module> modules = new LinkedHashMap<>();
    private boolean training = true;

    /** The class name PyTorch prints and names in errors ({@code _get_name()}). */
    public String typeName() { return getClass().getSimpleName(); }

    /**
     * The version stored in the state_dict's {@code _metadata}; a module bumps it when it changes its
     * parameters or buffers, and converts older checkpoints in {@link #loadFromStateDict}.
     */
    public int version() { return 1; }

    // ------------------------------------------------------------ registration

    /** {@code add_module(name, module)}; null registers an empty slot (printed as {@code None}). */
    public <M extends Module> M register(String name, M module) {
        if (name == null) throw new IllegalArgumentException("module name should be a string. Got NoneType");
        checkExists(name, modules);
        if (name.contains(".")) throw new IllegalArgumentException("module name can't contain \".\", got: " + name);
        if (name.isEmpty()) throw new IllegalArgumentException("module name can't be empty string \"\"");
        modules.put(name, module);
        return module;
    }

    /** {@code register_parameter(name, param)}; null registers an empty slot that the state_dict skips. */
    public Parameter registerParameter(String name, Parameter param) {
        checkName(name, "parameter", parameters);
        parameters.put(name, param);
        return param;
    }

    /** {@code register_parameter(name, nn.Parameter(data))}: wraps a plain tensor (detached, sharing storage). */
    public Parameter registerParameter(String name, Tensor data) {
        return registerParameter(name, data == null ? null : data instanceof Parameter p ? p : new Parameter(data));
    }

    /** {@code register_buffer(name, tensor)}: a persistent buffer, saved in the state_dict. */
    public Tensor registerBuffer(String name, Tensor tensor) { return registerBuffer(name, tensor, true); }

    /** {@code register_buffer(name, tensor, persistent)}: non-persistent buffers are left out of the state_dict. */
    public Tensor registerBuffer(String name, Tensor tensor, boolean persistent) {
        checkName(name, "buffer", buffers);
        buffers.put(name, tensor);
        if (persistent) nonPersistentBuffers.remove(name);
        else nonPersistentBuffers.add(name);
        return tensor;
    }

    /** register_parameter/register_buffer's checks, in PyTorch's order: dot, empty, taken by another kind. */
    private void checkName(String name, String kind, Map<String, ?> own) {
        if (name == null) throw new IllegalArgumentException(kind + " name should be a string. Got NoneType");
        if (name.contains(".")) throw new IllegalArgumentException(kind + " name can't contain \".\"");
        if (name.isEmpty()) throw new IllegalArgumentException(kind + " name can't be empty string \"\"");
        checkExists(name, own);
    }

    private void checkExists(String name, Map<String, ?> own) {
        boolean elsewhere = (own != parameters && parameters.containsKey(name)) || (own != buffers && buffers.containsKey(name))
                || (own != modules && modules.containsKey(name));
        if (elsewhere) throw new IllegalArgumentException("attribute '" + name + "' already exists");
    }

    /** Replaces a registered parameter (used by conversions and loaders that change dtype or device). */
    protected void replaceParameter(String name, Parameter p) {
        if (!parameters.containsKey(name)) throw new IllegalArgumentException(typeName() + " has no parameter '" + name + "'");
        parameters.put(name, p);
    }

    /** Replaces the value of a registered buffer, keeping its persistence. */
    public void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException(typeName() + " has no buffer '" + name + "'");
        buffers.put(name, value);
    }

    /** Removes a parameter, buffer or child module ({@code delattr}). */
    public void unregister(String name) {
        if (parameters.containsKey(name)) parameters.remove(name);
        else if (buffers.containsKey(name)) buffers.remove(name);
        else if (modules.containsKey(name)) modules.remove(name);
        else throw new IllegalArgumentException("'" + typeName() + "' object has no attribute '" + name + "'");
        nonPersistentBuffers.remove(name);
    }

    // ------------------------------------------------------------ direct access

    /** This module's own parameter {@code name} (null when registered as None). */
    public Parameter param(String name) {
        if (!parameters.containsKey(name)) throw new IllegalArgumentException("'" + typeName() + "' object has no attribute '" + name + "'");
        return parameters.get(name);
    }

    /** This module's own buffer {@code name}. */
    public Tensor buffer(String name) {
        if (!buffers.containsKey(name)) throw new IllegalArgumentException("'" + typeName() + "' object has no attribute '" + name + "'");
        return buffers.get(name);
    }

    /** This module's direct child {@code name}. */
    public Module child(String name) {
        if (!modules.containsKey(name)) throw new IllegalArgumentException("'" + typeName() + "' object has no attribute '" + name + "'");
        return modules.get(name);
    }

    boolean hasParameter(String name) { return parameters.containsKey(name); }

    boolean hasChild(String name) { return modules.containsKey(name); }

    boolean isPersistentBuffer(String name) { return buffers.containsKey(name) && !nonPersistentBuffers.contains(name); }

    /** Own parameters in registration order, None slots included (for state_dict and containers). */
    Map<String, Parameter> ownParameters() { return Collections.unmodifiableMap(parameters); }

    Map<String, Tensor> ownBuffers() { return Collections.unmodifiableMap(buffers); }

    Map<String, Module> ownModules() { return Collections.unmodifiableMap(modules); }

    /** {@code get_submodule("features.0")}. */
    public Module getSubmodule(String target) {
        if (target.isEmpty()) return this;
        Module mod = this;
        for (String item : target.split("\\.", -1)) {
            if (!mod.modules.containsKey(item)) throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + item + "`");
            mod = mod.modules.get(item);
            if (mod == null) throw new IllegalArgumentException("`" + item + "` is not an nn.Module");
        }
        return mod;
    }

    /** {@code get_parameter("features.0.weight")}. */
    public Parameter getParameter(String target) {
        int dot = target.lastIndexOf('.');
        Module mod = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!mod.parameters.containsKey(name)) throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + name + "`");
        return mod.parameters.get(name);
    }

    /** {@code get_buffer("bn.running_mean")}. */
    public Tensor getBuffer(String target) {
        int dot = target.lastIndexOf('.');
        Module mod = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (!mod.buffers.containsKey(name)) throw new IllegalArgumentException(mod.typeName() + " has no attribute `" + name + "`");
        return mod.buffers.get(name);
    }

    // ------------------------------------------------------------ traversal

    /** {@code parameters()}: every parameter of this module and its descendants, each once. */
    public List<Parameter> parameters() { return parameters(true); }

    public List<Parameter> parameters(boolean recurse) { return new ArrayList<>(namedParameters("", recurse).values()); }

    /** {@code named_parameters()}: dotted names in PyTorch's order, shared parameters reported once. */
    public Map<String, Parameter> namedParameters() { return namedParameters("", true); }

    public Map<String, Parameter> namedParameters(String prefix, boolean recurse) {
        return namedMembers(prefix, recurse, m -> m.parameters);
    }

    public List<Tensor> buffers() { return new ArrayList<>(namedBuffers().values()); }

    /** {@code named_buffers()}: persistent and non-persistent buffers alike. */
    public Map<String, Tensor> namedBuffers() { return namedBuffers("", true); }

    public Map<String, Tensor> namedBuffers(String prefix, boolean recurse) { return namedMembers(prefix, recurse, m -> m.buffers); }

    private <T> Map<String, T> namedMembers(String prefix, boolean recurse, java.util.function.Function<Module, Map<String, ? extends T>> members) {
        Map<String, T> out = new LinkedHashMap<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Module> mods = recurse ? namedModules(prefix) : Map.of(prefix, this);
        for (var e : mods.entrySet()) {
            for (var m : members.apply(e.getValue()).entrySet()) {
                T v = m.getValue();
                if (v == null || !seen.add(v)) continue;
                out.put(e.getKey() + (e.getKey().isEmpty() ? "" : ".") + m.getKey(), v);
            }
        }
        return out;
    }

    /** {@code children()}: the direct children, each once, None slots skipped. */
    public List<Module> children() { return new ArrayList<>(namedChildren().values()); }

    public Map<String, Module> namedChildren() {
        Map<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (var e : modules.entrySet()) if (e.getValue() != null && seen.add(e.getValue())) out.put(e.getKey(), e.getValue());
        return out;
    }

    /** {@code modules()}: this module, then every descendant in pre-order, each once. */
    public List<Module> modules() { return new ArrayList<>(namedModules().values()); }

    public Map<String, Module> namedModules() { return namedModules(""); }

    public Map<String, Module> namedModules(String prefix) {
        Map<String, Module> out = new LinkedHashMap<>();
        collectModules(this, prefix, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collectModules(Module m, String prefix, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) return;
        out.put(prefix, m);
        for (var e : m.modules.entrySet()) {
            if (e.getValue() == null) continue;
            collectModules(e.getValue(), prefix + (prefix.isEmpty() ? "" : ".") + e.getKey(), out, seen);
        }
    }

    /** {@code apply(fn)}: children first (recursively), then this module; for initialisation. */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children()) c.apply(fn);
        fn.accept(this);
        return this;
    }

    // ------------------------------------------------------------ training state

    /** {@code train(mode)}: sets training mode here and in every descendant (Dropout and BatchNorm read it). */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children()) c.train(mode);
        return this;
    }

    public Module train() { return train(true); }

    public Module eval() { return train(false); }

    public boolean isTraining() { return training; }

    /**
     * {@code zero_grad()} with PyTorch 1.13's default {@code set_to_none=False}: existing gradients are
     * detached and filled with zeros in place (2.x defaults to dropping them; use {@link #zeroGrad(boolean)}).
     */
    public void zeroGrad() { zeroGrad(false); }

    public void zeroGrad(boolean setToNone) {
        for (Parameter p : parameters()) {
            Tensor g = p.grad();
            if (g == null) continue;
            if (setToNone) {
                p.setGrad(null);
                continue;
            }
            if (g.gradFn() != null) {
                g = g.detach();
                p.setGrad(g);
            } else {
                g.requiresGrad_(false);
            }
            try (var ng = GradMode.noGrad()) {
                g.zero_();
            }
        }
    }

    /** {@code requires_grad_(flag)}: freezes ({@code false}) or unfreezes every parameter. */
    public Module requiresGrad_(boolean requiresGrad) {
        for (Parameter p : parameters()) p.requiresGrad_(requiresGrad);
        return this;
    }

    // ------------------------------------------------------------ conversion

    /** {@code to(dtype)}: converts floating-point parameters and buffers; integer buffers keep their dtype. */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint())
            throw new IllegalArgumentException("nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=" + dtype);
        return applyToTensors(t -> t.isFloatingPoint() ? t.to(dtype) : t);
    }

    public Module to(Device device) { return applyToTensors(t -> t.to(device)); }

    /** {@code double()}. */
    public Module toDouble() { return to(DType.FLOAT64); }

    /** {@code float()}. */
    public Module toFloat() { return to(DType.FLOAT32); }

    /** PyTorch's {@code _apply}: children first, then own parameters (and their grads) and buffers. */
    protected Module applyToTensors(UnaryOperator<Tensor> fn) {
        for (Module c : children()) c.applyToTensors(fn);
        try (var ng = GradMode.noGrad()) {
            for (var e : parameters.entrySet()) {
                Parameter p = e.getValue();
                if (p == null) continue;
                Tensor applied = fn.apply(p);
                Parameter out = p;
                if (applied != p) {
                    out = new Parameter(applied, p.requiresGrad());
                    e.setValue(out);
                }
                Tensor g = p.grad();
                if (g != null) {
                    Tensor ga = fn.apply(g);
                    out.setGrad(ga == g ? g : ga.detach());
                }
            }
            for (var e : buffers.entrySet()) if (e.getValue() != null) e.setValue(fn.apply(e.getValue()));
        }
        return this;
    }

    // ------------------------------------------------------------ forward

    /** The typed forward for one input tensor; modules override it (containers chain it). */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [" + typeName() + "] is missing the required \"forward\" function");
    }

    /**
     * Calls the module with positional arguments ({@code module(*args)}): Tensors, or null for an omitted
     * optional argument. The result is a Tensor, or a {@code List} for PyTorch's tuples (nested as PyTorch
     * nests them). Modules taking more than one input override this.
     */
    public Object call(Object... args) {
        if (args.length == 1 && args[0] instanceof Tensor t) return forward(t);
        throw new IllegalArgumentException(typeName() + ".forward() takes 2 positional arguments but " + (args.length + 1) + " were given");
    }

    /**
     * For {@link #call} overrides whose forward takes only required tensors named {@code names}: the arguments as
     * tensors, or Python's error for a call with too few or too many.
     */
    protected Tensor[] requiredTensors(Object[] args, String... names) {
        if (args.length < names.length) throw missingArguments(Arrays.copyOfRange(names, args.length, names.length));
        if (args.length > names.length)
            throw new IllegalArgumentException(typeName() + ".forward() takes " + (names.length + 1) + " positional arguments but " + (args.length + 1) + " were given");
        Tensor[] out = new Tensor[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = tensorArg(args, i, typeName(), names.length);
            if (out[i] == null) throw new IllegalArgumentException(typeName() + ".forward(): argument " + (i + 1) + " must be Tensor, not NoneType");
        }
        return out;
    }

    /** Python's "missing N required positional arguments" for this module's forward. */
    protected IllegalArgumentException missingArguments(String... missing) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < missing.length; i++) {
            if (i > 0) list.append(missing.length == 2 ? " and " : i == missing.length - 1 ? ", and " : ", ");
            list.append('\'').append(missing[i]).append('\'');
        }
        return new IllegalArgumentException(typeName() + ".forward() missing " + missing.length + " required positional argument"
                + (missing.length == 1 ? "" : "s") + ": " + list);
    }

    /** For {@link #call} overrides: argument {@code i} as a Tensor (null when absent). */
    protected static Tensor tensorArg(Object[] args, int i, String owner, int maxArgs) {
        if (args.length > maxArgs)
            throw new IllegalArgumentException(owner + ".forward() takes from 2 to " + (maxArgs + 1) + " positional arguments but " + (args.length + 1) + " were given");
        if (i >= args.length || args[i] == null) return null;
        if (args[i] instanceof Tensor t) return t;
        throw new IllegalArgumentException(owner + ".forward(): argument " + (i + 1) + " must be Tensor, not " + args[i].getClass().getSimpleName());
    }

    // ------------------------------------------------------------ state_dict

    /** {@code state_dict()}: parameters and persistent buffers, detached, with per-module versions in metadata. */
    public StateDict stateDict() { return stateDict(false); }

    /** {@code state_dict(keep_vars=True)} returns the parameters themselves rather than detached views. */
    public StateDict stateDict(boolean keepVars) {
        StateDict sd = new StateDict();
        saveTo(sd, "", keepVars);
        return sd;
    }

    private void saveTo(StateDict sd, String prefix, boolean keepVars) {
        sd.metadata().put(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), new LinkedHashMap<>(Map.of("version", version())));
        for (var e : parameters.entrySet())
            if (e.getValue() != null) sd.put(prefix + e.getKey(), keepVars ? e.getValue() : e.getValue().detach());
        for (var e : buffers.entrySet())
            if (e.getValue() != null && !nonPersistentBuffers.contains(e.getKey())) sd.put(prefix + e.getKey(), keepVars ? e.getValue() : e.getValue().detach());
        for (var e : modules.entrySet()) if (e.getValue() != null) e.getValue().saveTo(sd, prefix + e.getKey() + ".", keepVars);
    }

    /** {@code load_state_dict(sd)}, strict. */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict) { return loadStateDict(stateDict, true); }

    /**
     * {@code load_state_dict(sd, strict)}: copies values in place (with dtype conversion) under no-grad. Strict
     * loading fails on missing or unexpected keys; size mismatches fail either way. The error text is
     * PyTorch's. Metadata versions come from a {@link StateDict}; a plain map has none, as in PyTorch.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        return StateDictLoader.load(this, stateDict, strict);
    }

    /**
     * PyTorch's {@code _load_from_state_dict} for this module alone: {@code local} holds the keys under
     * {@code prefix} (and may be edited, e.g. to fill in keys an older version lacked).
     */
    protected void loadFromStateDict(Map<String, Tensor> local, String prefix, Integer version, List<String> missing,
                                     List<String> unexpected, List<String> errors) {
        StateDictLoader.loadOwn(this, local, prefix, missing, unexpected, errors);
    }

    // ------------------------------------------------------------ printing

    /** {@code extra_repr()}: this module's own settings, shown inside its parentheses. */
    public String extraRepr() { return ""; }

    /** PyTorch's module tree print: {@code Net(\n  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))\n)}. */
    @Override
    public String toString() {
        List<String> extra = new ArrayList<>();
        String er = extraRepr();
        if (!er.isEmpty()) extra.addAll(List.of(er.split("\n", -1)));
        List<String> childLines = new ArrayList<>();
        for (var e : modules.entrySet()) {
            String s = e.getValue() == null ? "None" : e.getValue().toString();
            childLines.add("(" + e.getKey() + "): " + s.replace("\n", "\n  "));
        }
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        List<String> lines = new ArrayList<>(extra);
        lines.addAll(childLines);
        if (!lines.isEmpty()) {
            if (extra.size() == 1 && childLines.isEmpty()) sb.append(extra.get(0));
            else sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }
}

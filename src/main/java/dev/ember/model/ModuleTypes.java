package dev.ember.model;

import dev.ember.nn.AdaptiveAvgPool2d;
import dev.ember.nn.AdaptiveMaxPool2d;
import dev.ember.nn.AvgPool1d;
import dev.ember.nn.AvgPool2d;
import dev.ember.nn.BatchNorm1d;
import dev.ember.nn.BatchNorm2d;
import dev.ember.nn.Bilinear;
import dev.ember.nn.Conv1d;
import dev.ember.nn.Conv2d;
import dev.ember.nn.ConvTranspose2d;
import dev.ember.nn.Dropout;
import dev.ember.nn.ELU;
import dev.ember.nn.Embedding;
import dev.ember.nn.Flatten;
import dev.ember.nn.GELU;
import dev.ember.nn.GRU;
import dev.ember.nn.GroupNorm;
import dev.ember.nn.Hardtanh;
import dev.ember.nn.Identity;
import dev.ember.nn.LSTM;
import dev.ember.nn.LayerNorm;
import dev.ember.nn.LeakyReLU;
import dev.ember.nn.Linear;
import dev.ember.nn.LogSoftmax;
import dev.ember.nn.MaxPool1d;
import dev.ember.nn.MaxPool2d;
import dev.ember.nn.Module;
import dev.ember.nn.ModuleDict;
import dev.ember.nn.ModuleList;
import dev.ember.nn.ParameterDict;
import dev.ember.nn.ParameterList;
import dev.ember.nn.RNN;
import dev.ember.nn.ReLU;
import dev.ember.nn.ReLU6;
import dev.ember.nn.Sequential;
import dev.ember.nn.SiLU;
import dev.ember.nn.Sigmoid;
import dev.ember.nn.Softmax;
import dev.ember.nn.Softplus;
import dev.ember.nn.Tanh;
import dev.ember.nn.Unflatten;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The torch.nn classes model.json may name, each with PyTorch's constructor signature (argument names and
 * defaults), the Ember constructor it maps to, and how many parameter and buffer elements it will allocate (so a
 * hostile spec is refused before anything is allocated).
 */
final class ModuleTypes {
    /** What a module may hold besides its constructor arguments. */
    enum Kind { LEAF, SEQUENTIAL, MODULE_LIST, MODULE_DICT, PARAMETER_LIST, PARAMETER_DICT }

    record Type(String name, Signature sig, Kind kind, Function<BoundArgs, Module> build, ToLongFunction<BoundArgs> elements) {}

    private static final String FACTORY = ", Device? device=None, ScalarType? dtype=None";
    private static final Map<String, Type> TYPES = new LinkedHashMap<>();

    static {
        leaf("Linear", "int in_features, int out_features, bool bias=True" + FACTORY,
                a -> new Linear(a.intValue("in_features"), a.intValue("out_features"), a.bool("bias")),
                a -> prod(a.longValue("out_features"), a.longValue("in_features")) + (a.bool("bias") ? a.longValue("out_features") : 0));
        leaf("Bilinear", "int in1_features, int in2_features, int out_features, bool bias=True" + FACTORY,
                a -> new Bilinear(a.intValue("in1_features"), a.intValue("in2_features"), a.intValue("out_features"), a.bool("bias")),
                a -> prod(a.longValue("out_features"), a.longValue("in1_features"), a.longValue("in2_features")) + (a.bool("bias") ? a.longValue("out_features") : 0));
        String conv = "int in_channels, int out_channels, int[] kernel_size, int[] stride=1, Any padding=0, int[] dilation=1, int groups=1, bool bias=True, "
                + "str padding_mode='zeros'" + FACTORY;
        leaf("Conv1d", conv, ModuleTypes::conv1d, a -> convElements(a, false));
        leaf("Conv2d", conv, ModuleTypes::conv2d, a -> convElements(a, false));
        leaf("ConvTranspose2d", "int in_channels, int out_channels, int[] kernel_size, int[] stride=1, int[] padding=0, int[] output_padding=0, int groups=1, "
                        + "bool bias=True, int[] dilation=1, str padding_mode='zeros'" + FACTORY,
                a -> new ConvTranspose2d(a.intValue("in_channels"), a.intValue("out_channels"), a.ints("kernel_size"), a.ints("stride"), a.ints("padding"),
                        a.ints("output_padding"), a.intValue("groups"), a.bool("bias"), a.ints("dilation"), a.str("padding_mode")),
                a -> convElements(a, true));
        String bn = "int num_features, float eps=1e-05, float? momentum=0.1, bool affine=True, bool track_running_stats=True" + FACTORY;
        leaf("BatchNorm1d", bn, a -> new BatchNorm1d(a.intValue("num_features"), a.doubleValue("eps"), a.optDouble("momentum"), a.bool("affine"),
                a.bool("track_running_stats")), a -> 4 * a.longValue("num_features") + 1);
        leaf("BatchNorm2d", bn, a -> new BatchNorm2d(a.intValue("num_features"), a.doubleValue("eps"), a.optDouble("momentum"), a.bool("affine"),
                a.bool("track_running_stats")), a -> 4 * a.longValue("num_features") + 1);
        leaf("LayerNorm", "int[] normalized_shape, float eps=1e-05, bool elementwise_affine=True, bool bias=True" + FACTORY, a -> {
            if (!a.bool("bias") && a.bool("elementwise_affine")) throw new UnsupportedOperationException("Ember: LayerNorm(bias=False) is not implemented yet");
            return new LayerNorm(a.ints("normalized_shape"), a.doubleValue("eps"), a.bool("elementwise_affine"));
        }, a -> 2 * prod(a.longs("normalized_shape").stream().mapToLong(Long::longValue).toArray()));
        leaf("GroupNorm", "int num_groups, int num_channels, float eps=1e-05, bool affine=True" + FACTORY,
                a -> new GroupNorm(a.intValue("num_groups"), a.intValue("num_channels"), a.doubleValue("eps"), a.bool("affine")),
                a -> 2 * a.longValue("num_channels"));
        leaf("Embedding", "int num_embeddings, int embedding_dim, int? padding_idx=None, float? max_norm=None, float norm_type=2.0, "
                + "bool scale_grad_by_freq=False, bool sparse=False, Tensor? _weight=None, bool _freeze=False" + FACTORY, a -> {
            if (a.bool("scale_grad_by_freq")) throw new UnsupportedOperationException("Ember: Embedding(scale_grad_by_freq=True) is not implemented yet");
            if (a.bool("sparse")) throw new UnsupportedOperationException("Ember: Embedding(sparse=True) is not implemented yet");
            return new Embedding(a.intValue("num_embeddings"), a.intValue("embedding_dim"), a.optInt("padding_idx"), a.optDouble("max_norm"),
                    a.doubleValue("norm_type"));
        }, a -> prod(a.longValue("num_embeddings"), a.longValue("embedding_dim")));
        leaf("Dropout", "float p=0.5, bool inplace=False", a -> new Dropout(a.doubleValue("p"), a.bool("inplace")), a -> 0);
        leaf("ReLU", "bool inplace=False", a -> new ReLU(a.bool("inplace")), a -> 0);
        leaf("ReLU6", "bool inplace=False", a -> new ReLU6(a.bool("inplace")), a -> 0);
        leaf("SiLU", "bool inplace=False", a -> new SiLU(a.bool("inplace")), a -> 0);
        leaf("LeakyReLU", "float negative_slope=0.01, bool inplace=False", a -> new LeakyReLU(a.doubleValue("negative_slope"), a.bool("inplace")), a -> 0);
        leaf("ELU", "float alpha=1.0, bool inplace=False", a -> new ELU(a.doubleValue("alpha"), a.bool("inplace")), a -> 0);
        leaf("Hardtanh", "float min_val=-1.0, float max_val=1.0, bool inplace=False",
                a -> new Hardtanh(a.doubleValue("min_val"), a.doubleValue("max_val"), a.bool("inplace")), a -> 0);
        leaf("GELU", "str approximate='none'", a -> new GELU(a.str("approximate")), a -> 0);
        leaf("Sigmoid", "", a -> new Sigmoid(), a -> 0);
        leaf("Tanh", "", a -> new Tanh(), a -> 0);
        leaf("Identity", "", a -> new Identity(), a -> 0);
        leaf("Softmax", "int? dim=None", a -> new Softmax(a.optInt("dim")), a -> 0);
        leaf("LogSoftmax", "int? dim=None", a -> new LogSoftmax(a.optInt("dim")), a -> 0);
        leaf("Softplus", "float beta=1.0, float threshold=20.0", a -> new Softplus(a.doubleValue("beta"), a.doubleValue("threshold")), a -> 0);
        leaf("Flatten", "int start_dim=1, int end_dim=-1", a -> new Flatten(a.intValue("start_dim"), a.intValue("end_dim")), a -> 0);
        leaf("Unflatten", "int dim, int[] unflattened_size", a -> new Unflatten(a.intValue("dim"), a.ints("unflattened_size")), a -> 0);
        leaf("MaxPool1d", "int[] kernel_size, int[]? stride=None, int[] padding=0, int[] dilation=1, bool return_indices=False, bool ceil_mode=False",
                a -> new MaxPool1d(OpSupport.one(a, "kernel_size"), a.isNone("stride") ? null : OpSupport.one(a, "stride"), OpSupport.one(a, "padding"), OpSupport.one(a, "dilation"),
                        a.bool("return_indices"), a.bool("ceil_mode")), a -> 0);
        leaf("MaxPool2d", "int[] kernel_size, int[]? stride=None, int[] padding=0, int[] dilation=1, bool return_indices=False, bool ceil_mode=False",
                a -> new MaxPool2d(a.ints("kernel_size"), a.ints("stride"), a.ints("padding"), a.ints("dilation"), a.bool("return_indices"), a.bool("ceil_mode")),
                a -> 0);
        leaf("AvgPool1d", "int[] kernel_size, int[]? stride=None, int[] padding=0, bool ceil_mode=False, bool count_include_pad=True",
                a -> new AvgPool1d(OpSupport.one(a, "kernel_size"), a.isNone("stride") ? null : OpSupport.one(a, "stride"), OpSupport.one(a, "padding"), a.bool("ceil_mode"),
                        a.bool("count_include_pad")), a -> 0);
        leaf("AvgPool2d", "int[] kernel_size, int[]? stride=None, int[] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None",
                a -> new AvgPool2d(a.ints("kernel_size"), a.ints("stride"), a.ints("padding"), a.bool("ceil_mode"), a.bool("count_include_pad"),
                        a.optInt("divisor_override")), a -> 0);
        leaf("AdaptiveAvgPool2d", "Any output_size", a -> new AdaptiveAvgPool2d(OpSupport.outputSize(a)), a -> 0);
        leaf("AdaptiveMaxPool2d", "Any output_size, bool return_indices=False", a -> new AdaptiveMaxPool2d(OpSupport.outputSize(a), a.bool("return_indices")), a -> 0);
        String rnn = "int input_size, int hidden_size, int num_layers=1, bool bias=True, bool batch_first=False, float dropout=0.0, bool bidirectional=False";
        leaf("RNN", "int input_size, int hidden_size, int num_layers=1, str nonlinearity='tanh', bool bias=True, bool batch_first=False, float dropout=0.0, "
                        + "bool bidirectional=False" + FACTORY,
                a -> new RNN(a.intValue("input_size"), a.intValue("hidden_size"), a.intValue("num_layers"), a.str("nonlinearity"), a.bool("bias"),
                        a.bool("batch_first"), a.doubleValue("dropout"), a.bool("bidirectional")), a -> rnnElements(a, 1, 0));
        leaf("LSTM", rnn + ", int proj_size=0" + FACTORY,
                a -> new LSTM(a.intValue("input_size"), a.intValue("hidden_size"), a.intValue("num_layers"), a.bool("bias"), a.bool("batch_first"),
                        a.doubleValue("dropout"), a.bool("bidirectional"), a.intValue("proj_size")), a -> rnnElements(a, 4, a.longValue("proj_size")));
        leaf("GRU", rnn + FACTORY,
                a -> new GRU(a.intValue("input_size"), a.intValue("hidden_size"), a.intValue("num_layers"), a.bool("bias"), a.bool("batch_first"),
                        a.doubleValue("dropout"), a.bool("bidirectional")), a -> rnnElements(a, 3, 0));
        add("Sequential", Kind.SEQUENTIAL, a -> new Sequential(), a -> 0);
        add("ModuleList", Kind.MODULE_LIST, a -> new ModuleList(), a -> 0);
        add("ModuleDict", Kind.MODULE_DICT, a -> new ModuleDict(), a -> 0);
        add("ParameterList", Kind.PARAMETER_LIST, a -> new ParameterList(), a -> 0);
        add("ParameterDict", Kind.PARAMETER_DICT, a -> new ParameterDict(), a -> 0);
    }

    private ModuleTypes() {}

    private static void leaf(String name, String schema, Function<BoundArgs, Module> build, ToLongFunction<BoundArgs> elements) {
        TYPES.put("torch.nn." + name, new Type("torch.nn." + name, Signature.parse(name, schema), Kind.LEAF, build, elements));
    }

    private static void add(String name, Kind kind, Function<BoundArgs, Module> build, ToLongFunction<BoundArgs> elements) {
        TYPES.put("torch.nn." + name, new Type("torch.nn." + name, Signature.parse(name, ""), kind, build, elements));
    }

    static Type get(String name) { return TYPES.get(name); }

    static boolean isContainer(String type) {
        Type t = TYPES.get(type);
        return t != null && t.kind() != Kind.LEAF;
    }

    /** Binds a module's constructor arguments; a wrong name or type fails with Python's or PyTorch's text. */
    static BoundArgs bind(Type t, Map<String, Object> args) {
        Object[] values = t.sig().bind(List.of(), args);
        for (int i = 0; i < values.length; i++) {
            String err = t.sig().typeError(i, values[i]);
            if (err != null) throw new IllegalArgumentException(t.sig().fn.replace("()", "") + ".__init__" + err.substring(t.sig().fn.length()));
        }
        BoundArgs a = new BoundArgs(t.sig(), values);
        if (a.has("device") && !a.isNone("device") && !a.device("device").isCpu()) throw new IllegalArgumentException("device=" + a.get("device") + ": model.json modules are built on the CPU");
        if (a.has("dtype") && !a.isNone("dtype")) throw new IllegalArgumentException("dtype=" + a.get("dtype") + ": the weights file decides parameter dtypes");
        return a;
    }

    /**
     * Checks a module tree without building it: known types, constructor arguments, what each kind may hold.
     * Returns the elements its parameters and buffers will take.
     */
    static long check(ModuleSpec m, String path) {
        long elements = 0;
        if (m.generic()) {
            if (!m.args().isEmpty()) throw new SpecReader.SpecError(path + ".args", "a torch.nn.Module (user-defined class) takes no args: it is rebuilt from its children, parameters and buffers");
        } else {
            Type t = TYPES.get(m.type());
            if (t == null)
                throw new SpecReader.SpecError(path + ".type", "unknown module type '" + m.type() + "'; Ember builds " + new TreeSet<>(TYPES.keySet())
                        + " and torch.nn.Module (a user-defined class with children)");
            BoundArgs a;
            try {
                a = bind(t, m.args());
                elements = t.elements().applyAsLong(a);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new SpecReader.SpecError(path + ".args", e.getMessage());
            }
            if (elements < 0) throw new SpecReader.SpecError(path + ".args", "negative sizes");
            boolean children = t.kind() == Kind.SEQUENTIAL || t.kind() == Kind.MODULE_LIST || t.kind() == Kind.MODULE_DICT;
            boolean params = t.kind() == Kind.PARAMETER_LIST || t.kind() == Kind.PARAMETER_DICT;
            if (!children && !m.children().isEmpty()) throw new SpecReader.SpecError(path + ".children", m.type() + " has no children in model.json; its constructor arguments build it");
            if (!params && !m.parameters().isEmpty()) throw new SpecReader.SpecError(path + ".parameters", m.type() + " declares its own parameters; list only its constructor arguments");
            if (!m.buffers().isEmpty()) throw new SpecReader.SpecError(path + ".buffers", m.type() + " declares its own buffers; list only its constructor arguments");
            if (t.kind() == Kind.SEQUENTIAL || t.kind() == Kind.MODULE_LIST || t.kind() == Kind.PARAMETER_LIST) {
                int i = 0;
                for (String k : t.kind() == Kind.PARAMETER_LIST ? m.parameters().keySet() : m.children().keySet()) {
                    if (t.kind() != Kind.SEQUENTIAL && !k.equals(String.valueOf(i)))
                        throw new SpecReader.SpecError(path, m.type() + " entries must be named 0, 1, 2, ... in order; found '" + k + "' at position " + i);
                    i++;
                }
            }
        }
        for (Map.Entry<String, ModuleSpec> c : m.children().entrySet()) elements = Math.addExact(elements, check(c.getValue(), path + ".children." + c.getKey()));
        return elements;
    }

    private static Module conv1d(BoundArgs a) {
        int in = a.intValue("in_channels"), out = a.intValue("out_channels"), groups = a.intValue("groups");
        Object padding = a.get("padding");
        int k = OpSupport.one(a, "kernel_size"), s = OpSupport.one(a, "stride"), d = OpSupport.one(a, "dilation");
        if (padding instanceof String p) return new Conv1d(in, out, k, s, p, d, groups, a.bool("bias"), a.str("padding_mode"));
        return new Conv1d(in, out, k, s, paddingInts(padding, 1)[0], d, groups, a.bool("bias"), a.str("padding_mode"));
    }

    private static Module conv2d(BoundArgs a) {
        int in = a.intValue("in_channels"), out = a.intValue("out_channels"), groups = a.intValue("groups");
        Object padding = a.get("padding");
        if (padding instanceof String p)
            return new Conv2d(in, out, a.ints("kernel_size"), a.ints("stride"), p, a.ints("dilation"), groups, a.bool("bias"), a.str("padding_mode"));
        return new Conv2d(in, out, a.ints("kernel_size"), a.ints("stride"), paddingInts(padding, 2), a.ints("dilation"), groups, a.bool("bias"),
                a.str("padding_mode"));
    }

    private static int[] paddingInts(Object padding, int n) {
        if (padding instanceof Long l) return new int[] {Py.toInt(l, "Conv", "padding")};
        if (padding instanceof List<?> l && l.size() <= n && l.stream().allMatch(e -> e instanceof Long)) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) out[i] = Py.toInt((Long) l.get(i), "Conv", "padding");
            return out;
        }
        throw new IllegalArgumentException("Conv.__init__(): argument 'padding' must be an int, a tuple of " + n + " ints, 'same' or 'valid', not " + ArgType.pyType(padding));
    }

    private static long convElements(BoundArgs a, boolean transposed) {
        long in = a.longValue("in_channels"), out = a.longValue("out_channels"), groups = a.longValue("groups");
        if (groups <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        long k = prod(a.longs("kernel_size").stream().mapToLong(Long::longValue).toArray());
        long w = transposed ? prod(in, out / groups, k) : prod(out, in / groups, k);
        return Math.addExact(w, a.bool("bias") ? out : 0);
    }

    private static long rnnElements(BoundArgs a, long gates, long proj) {
        long in = a.longValue("input_size"), h = a.longValue("hidden_size"), layers = a.longValue("num_layers");
        long dirs = a.bool("bidirectional") ? 2 : 1, out = proj > 0 ? proj : h;
        long total = 0;
        for (long l = 0; l < Math.min(layers, 1 << 16); l++) {
            long layerIn = l == 0 ? in : out * dirs;
            long perDir = prod(gates * h, layerIn) + prod(gates * h, out) + (a.bool("bias") ? 2 * gates * h : 0) + (proj > 0 ? prod(proj, h) : 0);
            total = Math.addExact(total, Math.multiplyExact(perDir, dirs));
        }
        return total;
    }

    /** A product of sizes, refusing negatives and overflow. */
    static long prod(long... dims) {
        long p = 1;
        for (long d : dims) {
            if (d < 0) throw new IllegalArgumentException("sizes must be non-negative, got " + d);
            p = Math.multiplyExact(p, d);
        }
        return p;
    }
}

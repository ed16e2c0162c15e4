package dev.ember.cli;

import dev.ember.io.LoadLimits;
import dev.ember.io.ModelFileFormat;
import dev.ember.io.PyOrderedDict;
import dev.ember.io.PyTuple;
import dev.ember.io.SafeTensors;
import dev.ember.io.TensorInfo;
import dev.ember.io.TorchFiles;
import dev.ember.tensor.Shape;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code bin/ember inspect FILE|MODEL_DIR...}: prints what a .pt/.pth or .safetensors file holds (keys, dtypes,
 * shapes; for checkpoints the nested structure) without loading the weights. A model folder is searched for
 * weight files (version folders included). Exit status 1 if any file is refused, with the reason.
 */
public final class Inspect {
    private static final Set<String> WEIGHT_SUFFIXES = Set.of(".pt", ".pth", ".bin", ".safetensors");

    private final PrintStream out;
    private final PrintStream err;

    Inspect(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Inspect(System.out, System.err).run(args));
    }

    int run(String[] args) {
        if (args.length == 0) {
            err.println("usage: ember inspect FILE|MODEL_DIR...");
            return 2;
        }
        int status = 0;
        for (String a : args) {
            Path p = Path.of(a);
            try {
                if (Files.isDirectory(p)) {
                    List<Path> files = weightFiles(p);
                    if (files.isEmpty()) throw new IOException(p + ": no .pt, .pth or .safetensors files in this folder or its version folders");
                    for (Path f : files) status |= inspectOne(f);
                } else {
                    status |= inspectOne(p);
                }
            } catch (IOException e) {
                err.println("ember inspect: " + e.getMessage());
                status = 1;
            }
        }
        return status;
    }

    private int inspectOne(Path file) {
        try {
            if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
            ModelFileFormat format = ModelFileFormat.detect(file);
            if (format == ModelFileFormat.SAFETENSORS) printSafetensors(file);
            else printTorch(file);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("ember inspect: " + e.getMessage());
            return 1;
        }
    }

    private void printSafetensors(Path file) throws IOException {
        SafeTensors.Header h = SafeTensors.inspect(file, LoadLimits.DEFAULT);
        long elements = 0;
        for (SafeTensors.Entry e : h.entries()) elements += product(e.shape());
        out.println(file + ": safetensors, " + h.entries().size() + " tensors, " + String.format("%,d", elements) + " elements");
        if (!h.metadata().isEmpty()) out.println("  __metadata__: " + h.metadata());
        int width = h.entries().stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (SafeTensors.Entry e : h.entries())
            out.println("  " + pad(e.name(), width) + "  " + pad(e.dtypeCode(), 5) + "  " + java.util.Arrays.toString(e.shape()));
    }

    private void printTorch(Path file) throws IOException {
        TorchFiles.Contents c = TorchFiles.inspect(file, LoadLimits.DEFAULT);
        List<TensorInfo> tensors = new ArrayList<>();
        collect(c.root(), tensors);
        long elements = tensors.stream().mapToLong(TensorInfo::numel).sum();
        out.println(file + ": " + c.description() + ", " + tensors.size() + " tensors, " + String.format("%,d", elements) + " elements");
        print(c.root(), "  ");
    }

    private void print(Object v, String indent) {
        if (v instanceof Map<?, ?> m) {
            out.println(indent + containerName(v) + " (" + m.size() + (m.size() == 1 ? " entry)" : " entries)"));
            int width = m.keySet().stream().mapToInt(k -> key(k).length()).max().orElse(0);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object val = e.getValue();
                if (isNested(val)) {
                    out.println(indent + "  " + key(e.getKey()) + ":");
                    print(val, indent + "    ");
                } else {
                    out.println(indent + "  " + pad(key(e.getKey()), width) + "  " + scalar(val));
                }
            }
            if (v instanceof PyOrderedDict d && d.attributes().get("_metadata") instanceof Map<?, ?> meta)
                out.println(indent + "  (_metadata: versions for " + meta.size() + " modules)");
        } else if (v instanceof Collection<?> l && isNested(v)) {
            out.println(indent + containerName(v) + " (" + l.size() + ")");
            int i = 0;
            for (Object o : l) {
                if (isNested(o)) {
                    out.println(indent + "  [" + i + "]:");
                    print(o, indent + "    ");
                } else {
                    out.println(indent + "  [" + i + "]  " + scalar(o));
                }
                i++;
            }
        } else {
            out.println(indent + scalar(v));
        }
    }

    /** Containers holding containers or tensors get their own block; flat lists of numbers print on one line. */
    private static boolean isNested(Object v) {
        if (v instanceof Map<?, ?>) return true;
        if (v instanceof Collection<?> c) return c.stream().anyMatch(o -> o instanceof Map<?, ?> || o instanceof Collection<?> || o instanceof TensorInfo);
        return false;
    }

    private static String containerName(Object v) {
        return switch (v) {
            case PyOrderedDict _ -> "OrderedDict";
            case Map<?, ?> _ -> "dict";
            case PyTuple _ -> "tuple";
            case Set<?> _ -> "set";
            default -> "list";
        };
    }

    private static String scalar(Object v) {
        return switch (v) {
            case null -> "None";
            case TensorInfo t -> pad(t.dtype().pyName(), 8) + " " + Shape.str(t.shape())
                    + (t.strides().length > 0 && !java.util.Arrays.equals(t.strides(), Shape.contiguousStrides(t.shape())) || t.storageOffset() != 0
                    ? "  (view of storage " + t.storageKey() + ": stride " + Shape.str(t.strides()) + ", offset " + t.storageOffset() + ")" : "")
                    + (t.requiresGrad() ? "  requires_grad" : "");
            case String s -> "'" + s + "'";
            case Boolean b -> b ? "True" : "False";
            case Long _, BigInteger _, Double _ -> v.toString();
            case byte[] b -> "bytes (" + b.length + ")";
            case Collection<?> c -> {
                List<String> items = c.stream().limit(20).map(Inspect::scalar).toList();
                String body = String.join(", ", items) + (c.size() > 20 ? ", ... (" + c.size() + " items)" : "");
                yield v instanceof PyTuple ? "(" + body + (c.size() == 1 ? ",)" : ")") : "[" + body + "]";
            }
            default -> v.toString();
        };
    }

    private static String key(Object k) { return k instanceof String s ? s : String.valueOf(k); }

    private static String pad(String s, int width) { return s.length() >= width ? s : s + " ".repeat(width - s.length()); }

    private static void collect(Object v, List<TensorInfo> into) {
        switch (v) {
            case TensorInfo t -> into.add(t);
            case PyOrderedDict d -> {
                d.values().forEach(o -> collect(o, into));
            }
            case Map<?, ?> m -> m.values().forEach(o -> collect(o, into));
            case Collection<?> c -> c.forEach(o -> collect(o, into));
            case null, default -> { }
        }
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    private static List<Path> weightFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(Files::isRegularFile).filter(f -> WEIGHT_SUFFIXES.stream().anyMatch(x -> f.getFileName().toString().endsWith(x))).sorted().toList();
        }
    }
}

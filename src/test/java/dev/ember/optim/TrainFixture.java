package dev.ember.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.TensorAssert;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training fixtures of tools/fixtures/trainlib.py: the fixed model, its initial params and batches, and the
 * tagged values (Python ints, floats, tuples, dicts in order, tensors) the fixture files store.
 */
public final class TrainFixture {
    public static final int STEPS = 20;
    public static final int PARAMS = 5;

    public final FixtureFile file;
    public final JsonNode meta;

    public TrainFixture(String family) {
        this.file = Fixtures.load(family);
        this.meta = Fixtures.metadata(family, "trajectories");
    }

    /** Fresh leaf copies of the initial params W, b, v, c, u (float32, or float64 with dtype "float64"). */
    public List<Tensor> initialParams(String dtype) {
        String suffix = dtype.equals("float64") ? "64" : "";
        List<Tensor> ps = new ArrayList<>();
        for (int i = 0; i < PARAMS; i++) ps.add(file.tensor("init" + suffix + "/p" + i).requiresGrad_());
        return ps;
    }

    public Tensor x(String dtype, int k) { return file.tensor("batch" + (dtype.equals("float64") ? "64" : "") + "/" + k + "/x"); }

    public Tensor t(String dtype, int k) { return file.tensor("batch" + (dtype.equals("float64") ? "64" : "") + "/" + k + "/t"); }

    /** h = tanh((x.unsqueeze(1) * W).sum(2) + b); out = (h * v).sum(1) + c; loss = ((out - t) ** 2).mean(). */
    public static Tensor loss(List<Tensor> p, Tensor x, Tensor t) {
        Tensor h = x.unsqueeze(1).mul(p.get(0)).sum(2).add(p.get(1)).tanh();
        Tensor out = h.mul(p.get(2)).sum(1).add(p.get(3));
        return out.sub(t).pow(2.0).mean();
    }

    /** One training step as the tutorials write it. */
    public void trainStep(Optimizer opt, List<Tensor> params, String dtype, int k) {
        opt.zeroGrad();
        loss(params, x(dtype, k), t(dtype, k)).backward();
        opt.step();
    }

    public static Tensor flat(List<Tensor> params) {
        List<Tensor> parts = new ArrayList<>();
        for (Tensor p : params) parts.add(p.detach().reshape(-1));
        return Tensor.cat(parts);
    }

    /** Decodes a tagged value (see trainlib.Encoder) into Ember's Python-value shapes ({@link PyValues}). */
    public Object decode(JsonNode v) {
        String tag = v.get(0).asText();
        return switch (tag) {
            case "T" -> file.tensor(v.get(1).asText());
            case "b" -> v.get(1).asBoolean();
            case "i" -> v.get(1).asLong();
            case "f" -> parseFloat(v.get(1).asText());
            case "n" -> null;
            case "s" -> v.get(1).asText();
            case "t" -> {
                List<Object> items = new ArrayList<>();
                for (JsonNode x : v.get(1)) items.add(decode(x));
                yield items.toArray();
            }
            case "l" -> {
                List<Object> items = new ArrayList<>();
                for (JsonNode x : v.get(1)) items.add(decode(x));
                yield items;
            }
            case "d" -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                for (JsonNode kv : v.get(1)) m.put(decode(kv.get(0)), decode(kv.get(1)));
                yield m;
            }
            default -> throw new IllegalArgumentException("unknown tag " + tag);
        };
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> decodeMap(JsonNode v) { return (Map<String, Object>) decode(v); }

    public static double parseFloat(String repr) {
        return switch (repr) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(repr);
        };
    }

    /**
     * Deep equality of a PyTorch value with Ember's: same Python types (int vs float, tuple vs list), dict keys
     * in the same order, doubles within {@code 1e-12} relative, tensors within {@code rtol} of each element
     * or of the tensor's largest magnitude. That second bound is looser than the parameters' (which are
     * checked elementwise): state tensors such as momentum buffers are running sums of terms of both signs,
     * so an element can be a small difference of large terms (RMSprop's {@code 0.9·(−0.149) + 0.137 = 0.0031})
     * whose float32 rounding noise is relative to the terms, not to the result.
     */
    public static void assertSameValue(Object expected, Object actual, String path, double rtol, double atol) {
        String at = path + ": ";
        switch (expected) {
            case null -> {
                if (actual != null) throw new AssertionError(at + "expected None, got " + PyValues.str(actual));
            }
            case Tensor e -> {
                if (!(actual instanceof Tensor a)) throw new AssertionError(at + "expected a tensor, got " + PyValues.typeName(actual));
                TensorAssert.assertClose(a, e, rtol, Math.max(atol, rtol * maxAbs(e)), path);
            }
            case Long e -> {
                if (!(actual instanceof Long a)) throw new AssertionError(at + "expected int " + e + ", got " + PyValues.typeName(actual) + " " + PyValues.str(actual));
                if (!e.equals(a)) throw new AssertionError(at + "expected " + e + ", got " + a);
            }
            case Double e -> {
                if (!(actual instanceof Double a)) throw new AssertionError(at + "expected float " + e + ", got " + PyValues.typeName(actual) + " " + PyValues.str(actual));
                boolean same = e.equals(a) || Math.abs(e - a) <= 1e-12 * Math.abs(e) + 1e-300;
                if (!same) throw new AssertionError(at + "expected " + PyValues.repr(e) + ", got " + PyValues.repr(a));
            }
            case Object[] e -> {
                if (!(actual instanceof Object[] a)) throw new AssertionError(at + "expected a tuple, got " + PyValues.typeName(actual));
                if (a.length != e.length) throw new AssertionError(at + "tuple length " + a.length + ", expected " + e.length);
                for (int i = 0; i < e.length; i++) assertSameValue(e[i], a[i], path + "[" + i + "]", rtol, atol);
            }
            case List<?> e -> {
                if (!(actual instanceof List<?> a)) throw new AssertionError(at + "expected a list, got " + PyValues.typeName(actual));
                if (a.size() != e.size()) throw new AssertionError(at + "list length " + a.size() + ", expected " + e.size() + ": " + PyValues.str(a));
                for (int i = 0; i < e.size(); i++) assertSameValue(e.get(i), a.get(i), path + "[" + i + "]", rtol, atol);
            }
            case Map<?, ?> e -> {
                if (!(actual instanceof Map<?, ?> a)) throw new AssertionError(at + "expected a dict, got " + PyValues.typeName(actual));
                if (!List.copyOf(e.keySet()).equals(List.copyOf(a.keySet())))
                    throw new AssertionError(at + "keys " + PyValues.str(List.copyOf(a.keySet())) + ", PyTorch has " + PyValues.str(List.copyOf(e.keySet())));
                Iterator<?> ai = a.values().iterator();
                for (var en : e.entrySet()) assertSameValue(en.getValue(), ai.next(), path + "[" + PyValues.str(en.getKey()) + "]", rtol, atol);
            }
            default -> {
                if (!expected.equals(actual)) throw new AssertionError(at + "expected " + PyValues.str(expected) + ", got " + PyValues.str(actual));
            }
        }
    }

    public static double maxAbs(Tensor t) {
        double m = 0;
        for (double x : t.toDoubleArray()) if (Double.isFinite(x)) m = Math.max(m, Math.abs(x));
        return m;
    }

    public static double[] tolerance(String dtype) { return TensorAssert.defaultTolerance(dtype.equals("float64") ? DType.FLOAT64 : DType.FLOAT32); }
}

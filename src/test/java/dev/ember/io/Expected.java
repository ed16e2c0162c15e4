package dev.ember.io;

import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Storage;

import java.math.BigInteger;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares a loaded value with the JSON description torch_io.py wrote of the same value in PyTorch: container
 * kinds and key order, exact scalars, and tensors bit for bit with dtype, size, stride, offset, storage size and
 * which tensors share a storage.
 */
final class Expected {
    private final Map<Long, Storage> storageById = new java.util.HashMap<>();
    private final IdentityHashMap<Storage, Long> idByStorage = new IdentityHashMap<>();

    static void assertMatches(Object expectedJson, Object actual) {
        new Expected().match(expectedJson, actual, "root");
    }

    @SuppressWarnings("unchecked")
    private void match(Object e, Object a, String path) {
        if (e instanceof Map<?, ?> m && m.containsKey("__tensor__")) {
            assertThat(a).as(path).isInstanceOf(Tensor.class);
            tensor((Map<String, Object>) m.get("__tensor__"), (Tensor) a, path);
        } else if (e instanceof Map<?, ?> m && m.containsKey("__float__")) {
            assertThat(a).as(path).isInstanceOf(Double.class);
            assertThat(Double.doubleToRawLongBits((Double) a)).as(path).isEqualTo(Double.doubleToRawLongBits(hex((String) m.get("__float__"))));
        } else if (e instanceof Map<?, ?> m && m.containsKey("__bigint__")) {
            assertThat(a).as(path).isEqualTo(new BigInteger((String) m.get("__bigint__")));
        } else if (e instanceof Map<?, ?> m && m.containsKey("__tuple__")) {
            assertThat(a).as(path).isInstanceOf(PyTuple.class);
            list((List<Object>) m.get("__tuple__"), (List<Object>) a, path);
        } else if (e instanceof Map<?, ?> m && (m.containsKey("__dict__") || m.containsKey("__odict__"))) {
            boolean ordered = m.containsKey("__odict__");
            assertThat(a).as(path).isInstanceOf(Map.class);
            assertThat(a instanceof PyOrderedDict).as(path + " is an OrderedDict").isEqualTo(ordered);
            List<List<Object>> pairs = (List<List<Object>>) m.get(ordered ? "__odict__" : "__dict__");
            Map<Object, Object> am = (Map<Object, Object>) a;
            assertThat(am).as(path).hasSize(pairs.size());
            Iterator<Map.Entry<Object, Object>> it = am.entrySet().iterator();
            for (List<Object> p : pairs) {
                Map.Entry<Object, Object> ae = it.next();
                match(p.get(0), ae.getKey(), path + " key");
                match(p.get(1), ae.getValue(), path + "[" + ae.getKey() + "]");
            }
            if (m.containsKey("_metadata")) {
                Object meta = ((PyOrderedDict) a).attributes().get("_metadata");
                assertThat(meta).as(path + "._metadata").isInstanceOf(PyOrderedDict.class);
                List<List<Object>> mp = (List<List<Object>>) m.get("_metadata");
                assertThat((Map<Object, Object>) meta).as(path + "._metadata").hasSize(mp.size());
                for (List<Object> p : mp) assertThat(((Map<Object, Object>) meta).get(p.get(0))).as(path + "._metadata[" + p.get(0) + "]").isEqualTo(p.get(1));
            }
        } else if (e instanceof List<?> l) {
            assertThat(a).as(path).isInstanceOf(java.util.ArrayList.class);
            list((List<Object>) l, (List<Object>) a, path);
        } else {
            assertThat(a).as(path).isEqualTo(e);
        }
    }

    private void list(List<Object> e, List<Object> a, String path) {
        assertThat(a).as(path).hasSize(e.size());
        for (int i = 0; i < e.size(); i++) match(e.get(i), a.get(i), path + "[" + i + "]");
    }

    @SuppressWarnings("unchecked")
    private void tensor(Map<String, Object> e, Tensor t, String path) {
        assertThat(t.dtype().pyName()).as(path + " dtype").isEqualTo(e.get("dtype"));
        assertThat(longs(t.shape())).as(path + " shape").isEqualTo(e.get("shape"));
        assertThat(longs(t.strides())).as(path + " stride").isEqualTo(e.get("stride"));
        assertThat((long) t.storageOffset()).as(path + " offset").isEqualTo(e.get("offset"));
        assertThat((long) t.storage().size()).as(path + " storage size").isEqualTo(e.get("storage_size"));
        assertThat(t.requiresGrad()).as(path + " requires_grad").isEqualTo(e.get("requires_grad"));
        long sid = (Long) e.get("storage");
        Storage known = storageById.putIfAbsent(sid, t.storage());
        if (known != null) assertThat(known).as(path + " shares storage " + sid).isSameAs(t.storage());
        Long other = idByStorage.putIfAbsent(t.storage(), sid);
        if (other != null) assertThat(other).as(path + " storage identity").isEqualTo(sid);
        List<Object> values = (List<Object>) e.get("values");
        HostStorage h = t.detach().contiguous().toHost();
        assertThat(h.size()).as(path + " numel").isEqualTo(values.size());
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            switch (t.dtype()) {
                case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> {
                    double want = hex((String) v), got = h.getDouble(i);
                    assertThat(Double.doubleToRawLongBits(got)).as(path + "[" + i + "] = " + got + ", want " + want)
                            .isEqualTo(Double.doubleToRawLongBits(want));
                }
                case BOOL -> assertThat(h.getLong(i) != 0).as(path + "[" + i + "]").isEqualTo(v);
                default -> assertThat(h.getLong(i)).as(path + "[" + i + "]").isEqualTo(v);
            }
        }
    }

    private static List<Long> longs(int[] a) {
        return java.util.Arrays.stream(a).mapToObj(x -> (long) x).toList();
    }

    static double hex(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }
}

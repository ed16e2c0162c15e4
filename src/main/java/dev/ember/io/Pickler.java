package dev.ember.io;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.Storage;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a value as torch.save's protocol 2 pickle, with the opcodes and globals torch's weights-only
 * unpickler accepts: tensors as {@code _rebuild_tensor_v2} over legacy typed storages ({@code torch.FloatStorage}
 * ...), one storage per Ember storage (views stay views), OrderedDicts as {@code OrderedDict()} + SETITEMS
 * (+ BUILD for {@code _metadata}). Containers and tensors met twice are memoised, as CPython's pickler does.
 */
final class Pickler {
    private static final int BATCH = 1000; // CPython's SETITEMS/APPENDS batch size

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<Object, Integer> memoByValue = new HashMap<>(); // strings and globals
    private final IdentityHashMap<Object, Integer> memoById = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Boolean> open = new IdentityHashMap<>();
    private final ArrayDeque<String> path = new ArrayDeque<>();
    /** Storages to write, in first-met order; the index is the record key. */
    final LinkedHashMap<Storage, String> storages = new LinkedHashMap<>();
    private int nextMemo;

    byte[] pickle(Object root) {
        out.write(Opcodes.PROTO);
        out.write(2);
        value(root);
        out.write(Opcodes.STOP);
        return out.toByteArray();
    }

    private void value(Object v) {
        switch (v) {
            case null -> out.write(Opcodes.NONE);
            case Boolean b -> out.write(b ? Opcodes.NEWTRUE : Opcodes.NEWFALSE);
            case Long l -> integer(l);
            case Integer i -> integer(i);
            case Short s -> integer(s);
            case Byte b -> integer(b);
            case BigInteger b -> {
                if (b.bitLength() < 64) integer(b.longValue());
                else bigInteger(b);
            }
            case Double d -> binfloat(d);
            case Float f -> binfloat(f.doubleValue());
            case String s -> string(s);
            case DType d -> global("torch", d.pyName());
            case Device d -> {
                global("torch", "device");
                string(d.isCpu() ? "cpu" : "cuda");
                if (d.isCpu()) {
                    out.write(Opcodes.TUPLE1);
                } else {
                    integer(Math.max(d.index(), 0));
                    out.write(Opcodes.TUPLE2);
                }
                out.write(Opcodes.REDUCE);
            }
            case byte[] bytes -> {
                global("_codecs", "encode");
                StringBuilder sb = new StringBuilder(bytes.length);
                for (byte b : bytes) sb.append((char) (b & 0xFF));
                string(sb.toString());
                string("latin1");
                out.write(Opcodes.TUPLE2);
                out.write(Opcodes.REDUCE);
            }
            case Tensor t -> memoised(t, () -> tensor(t));
            case PyTuple t -> memoised(t, () -> tuple(t));
            case PyOrderedDict d -> memoised(d, () -> orderedDict(d, d.attributes()));
            case StateDict sd -> memoised(sd, () -> orderedDict(sd.tensors(), sd.metadata().isEmpty() ? Map.of() : Map.of("_metadata", metadataDict(sd))));
            case Map<?, ?> m -> memoised(m, () -> {
                out.write(Opcodes.EMPTY_DICT);
                memoize(m);
                setItems(m);
            });
            case List<?> l -> memoised(l, () -> {
                out.write(Opcodes.EMPTY_LIST);
                memoize(l);
                appends(l);
            });
            case Set<?> s -> memoised(s, () -> {
                global("__builtin__", "set");
                out.write(Opcodes.EMPTY_LIST);
                appends(new ArrayList<>(s));
                out.write(Opcodes.TUPLE1);
                out.write(Opcodes.REDUCE);
                memoize(s);
            });
            default -> throw error("cannot save a " + v.getClass().getName() + " (tensors, dicts, lists, tuples, str, int, float, bool and None can be saved)");
        }
    }

    private void memoised(Object v, Runnable write) {
        Integer m = memoById.get(v);
        if (m != null) {
            get(m);
            return;
        }
        if (open.put(v, Boolean.TRUE) != null) throw error("cannot save a container that contains itself");
        if (open.size() > 1000) throw error("cannot save values nested deeper than 1000 levels");
        write.run();
        open.remove(v);
        if (!memoById.containsKey(v)) memoize(v);
    }

    private void memoize(Object v) {
        memoById.put(v, nextMemo);
        put(nextMemo++);
    }

    private void tensor(Tensor t) {
        Storage s = t.storage();
        String key = storages.computeIfAbsent(s, k -> String.valueOf(storages.size()));
        global("torch._utils", "_rebuild_tensor_v2");
        out.write(Opcodes.MARK);
        out.write(Opcodes.MARK);
        string("storage");
        global("torch", storageClass(s.dtype()));
        string(key);
        string("cpu");
        integer(s.size());
        out.write(Opcodes.TUPLE);
        out.write(Opcodes.BINPERSID);
        integer(t.storageOffset());
        intTuple(t.shape());
        intTuple(t.strides());
        out.write(t.requiresGrad() ? Opcodes.NEWTRUE : Opcodes.NEWFALSE);
        global("collections", "OrderedDict");
        out.write(Opcodes.EMPTY_TUPLE);
        out.write(Opcodes.REDUCE);
        out.write(Opcodes.TUPLE);
        out.write(Opcodes.REDUCE);
    }

    static String storageClass(DType d) {
        return switch (d) {
            case FLOAT32 -> "FloatStorage";
            case FLOAT64 -> "DoubleStorage";
            case FLOAT16 -> "HalfStorage";
            case BFLOAT16 -> "BFloat16Storage";
            case INT64 -> "LongStorage";
            case INT32 -> "IntStorage";
            case INT16 -> "ShortStorage";
            case INT8 -> "CharStorage";
            case UINT8 -> "ByteStorage";
            case BOOL -> "BoolStorage";
        };
    }

    private void intTuple(int[] a) {
        switch (a.length) {
            case 0 -> out.write(Opcodes.EMPTY_TUPLE);
            case 1, 2, 3 -> {
                for (int x : a) integer(x);
                out.write(Opcodes.TUPLE1 + a.length - 1);
            }
            default -> {
                out.write(Opcodes.MARK);
                for (int x : a) integer(x);
                out.write(Opcodes.TUPLE);
            }
        }
    }

    private void tuple(PyTuple t) {
        if (t.isEmpty()) {
            out.write(Opcodes.EMPTY_TUPLE);
            return;
        }
        if (t.size() <= 3) {
            for (int i = 0; i < t.size(); i++) element(i, t.get(i));
            out.write(Opcodes.TUPLE1 + t.size() - 1);
        } else {
            out.write(Opcodes.MARK);
            for (int i = 0; i < t.size(); i++) element(i, t.get(i));
            out.write(Opcodes.TUPLE);
        }
    }

    private void orderedDict(Map<?, ?> items, Map<String, ?> attributes) {
        global("collections", "OrderedDict");
        out.write(Opcodes.EMPTY_TUPLE);
        out.write(Opcodes.REDUCE);
        memoize(items);
        setItems(items);
        if (!attributes.isEmpty()) {
            out.write(Opcodes.EMPTY_DICT);
            setItems(attributes);
            out.write(Opcodes.BUILD);
        }
    }

    private static PyOrderedDict metadataDict(StateDict sd) {
        PyOrderedDict m = new PyOrderedDict();
        sd.metadata().forEach((k, v) -> m.put(k, new LinkedHashMap<>(v)));
        return m;
    }

    private void setItems(Map<?, ?> m) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
        for (int from = 0; from < entries.size(); from += BATCH) {
            List<Map.Entry<?, ?>> batch = entries.subList(from, Math.min(entries.size(), from + BATCH));
            if (batch.size() > 1) out.write(Opcodes.MARK);
            for (Map.Entry<?, ?> e : batch) {
                Object k = e.getKey();
                if (!(k == null || k instanceof String || k instanceof Long || k instanceof Integer || k instanceof Double || k instanceof Boolean
                        || k instanceof BigInteger || k instanceof PyTuple))
                    throw error("dict key " + Values.describe(k) + " cannot be pickled as a hashable Python value");
                value(k);
                path.push("[" + (k instanceof String s ? "'" + s + "'" : String.valueOf(k)) + "]");
                value(e.getValue());
                path.pop();
            }
            out.write(batch.size() > 1 ? Opcodes.SETITEMS : Opcodes.SETITEM);
        }
    }

    private void appends(List<?> l) {
        for (int from = 0; from < l.size(); from += BATCH) {
            List<?> batch = l.subList(from, Math.min(l.size(), from + BATCH));
            if (batch.size() > 1) out.write(Opcodes.MARK);
            for (int i = 0; i < batch.size(); i++) element(from + i, batch.get(i));
            out.write(batch.size() > 1 ? Opcodes.APPENDS : Opcodes.APPEND);
        }
    }

    private void element(int i, Object v) {
        path.push("[" + i + "]");
        value(v);
        path.pop();
    }

    private void integer(long v) {
        if (v >= 0 && v < 256) {
            out.write(Opcodes.BININT1);
            out.write((int) v);
        } else if (v >= 0 && v < 65536) {
            out.write(Opcodes.BININT2);
            out.write((int) v & 0xFF);
            out.write((int) (v >>> 8));
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write(Opcodes.BININT);
            le32((int) v);
        } else {
            bigInteger(BigInteger.valueOf(v));
        }
    }

    /** LONG1: little-endian two's complement, as short as Python's encode_long makes it. */
    private void bigInteger(BigInteger b) {
        byte[] be = b.toByteArray();
        if (be.length > 255) throw error("integer " + b + " is too large to pickle");
        out.write(Opcodes.LONG1);
        out.write(be.length);
        for (int i = be.length - 1; i >= 0; i--) out.write(be[i]);
    }

    private void binfloat(double d) {
        out.write(Opcodes.BINFLOAT);
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 7; i >= 0; i--) out.write((int) (bits >>> (8 * i)));
    }

    private void string(String s) {
        Integer m = memoByValue.get(s);
        if (m != null) {
            get(m);
            return;
        }
        byte[] b = PickleStrings.encodeUtf8(s);
        out.write(Opcodes.BINUNICODE);
        le32(b.length);
        out.writeBytes(b);
        memoByValue.put(s, nextMemo);
        put(nextMemo++);
    }

    private void global(String module, String name) {
        String key = "\0global\0" + module + "\n" + name;
        Integer m = memoByValue.get(key);
        if (m != null) {
            get(m);
            return;
        }
        out.write(Opcodes.GLOBAL);
        out.writeBytes((module + "\n" + name + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        memoByValue.put(key, nextMemo);
        put(nextMemo++);
    }

    private void put(int i) {
        if (i < 256) {
            out.write(Opcodes.BINPUT);
            out.write(i);
        } else {
            out.write(Opcodes.LONG_BINPUT);
            le32(i);
        }
    }

    private void get(int i) {
        if (i < 256) {
            out.write(Opcodes.BINGET);
            out.write(i);
        } else {
            out.write(Opcodes.LONG_BINGET);
            le32(i);
        }
    }

    private void le32(int v) {
        for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
    }

    private IllegalArgumentException error(String message) {
        List<String> p = new ArrayList<>(path);
        java.util.Collections.reverse(p);
        return new IllegalArgumentException("torch.save" + (p.isEmpty() ? "" : " at " + String.join("", p)) + ": " + message);
    }
}

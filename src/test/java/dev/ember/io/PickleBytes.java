package dev.ember.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-written pickles for hostile-input tests: each method appends one opcode (and its argument). */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PickleBytes proto2() { return new PickleBytes().op(0x80).raw(2); }

    PickleBytes op(int op) {
        out.write(op);
        return this;
    }

    PickleBytes raw(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').le32(b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBytes global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleBytes integer(long v) {
        if (v >= 0 && v < 256) return op('K').raw((int) v);
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return op('J').le32((int) v);
        op(0x8a).raw(8);
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    PickleBytes mark() { return op('('); }

    PickleBytes tuple() { return op('t'); }

    PickleBytes emptyTuple() { return op(')'); }

    PickleBytes emptyDict() { return op('}'); }

    PickleBytes emptyList() { return op(']'); }

    PickleBytes reduce() { return op('R'); }

    PickleBytes setitem() { return op('s'); }

    PickleBytes put(int i) { return op('q').raw(i); }

    PickleBytes get(int i) { return op('h').raw(i); }

    PickleBytes stop() { return op('.'); }

    PickleBytes le32(int v) {
        for (int i = 0; i < 4; i++) out.write(v >>> (8 * i));
        return this;
    }

    PickleBytes ints(long... v) {
        mark();
        for (long x : v) integer(x);
        return tuple();
    }

    /** {@code _rebuild_tensor_v2(('storage', torch.<cls>, key, 'cpu', numel), offset, size, stride, False, OrderedDict())}. */
    PickleBytes tensor(String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().str("storage").global("torch", storageClass).str(key).str("cpu").integer(numel).tuple().op('Q');
        integer(offset).ints(size).ints(stride).op(0x89).global("collections", "OrderedDict").emptyTuple().reduce();
        return tuple().reduce();
    }

    /** {@code {'w': tensor(...)}} as a complete pickle. */
    static byte[] stateDict(String storageClass, String key, long numel, long offset, long[] size, long[] stride) {
        return proto2().emptyDict().str("w").tensor(storageClass, key, numel, offset, size, stride).setitem().stop().bytes();
    }

    byte[] bytes() { return out.toByteArray(); }
}

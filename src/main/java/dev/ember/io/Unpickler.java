package dev.ember.io;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A restricted pickle VM: the opcodes of torch's {@code _weights_only_unpickler} (protocol 2, plus protocol 3
 * without bytes), with globals resolved through Ember's own allow-list ({@link PickleGlobal}) and REDUCE
 * interpreted by {@link Reducers}. It never loads a class by name. Every pop, memo lookup and length is
 * checked, and {@link LoadLimits} caps the stack, MARK depth, memo and string sizes; errors name the opcode
 * and the offset.
 */
final class Unpickler {
    private static final Object MARK_SENTINEL = new Object();

    private final ByteSource in;
    private final String source;
    private final LoadLimits limits;
    private final StorageTable storages;
    private final long start;
    private final Map<Long, Object> memo = new HashMap<>();
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private long opAt;

    Unpickler(ByteSource in, String source, LoadLimits limits, StorageTable storages) {
        this.in = in;
        this.source = source;
        this.limits = limits;
        this.storages = storages;
        this.start = in.position();
    }

    /** Runs to STOP and returns the single value left on the stack (not yet graph-checked; see {@link Values#checkGraph}). */
    Object load() throws ModelFormatException {
        try {
            return run();
        } catch (ModelFormatException e) {
            throw new ModelFormatException(source + " at offset " + opAt + ": " + e.getMessage(), e.getCause());
        } catch (EOFException e) {
            throw new ModelFormatException(source + " at offset " + opAt + ": pickle is truncated (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new ModelFormatException(source + ": cannot read the pickle: " + e.getMessage(), e);
        }
    }

    private Object run() throws IOException {
        boolean first = true;
        while (true) {
            opAt = in.position() - start;
            if (opAt >= limits.maxPickleBytes()) throw new ModelFormatException("pickle is larger than the limit of " + limits.maxPickleBytes() + " bytes");
            int op = in.u8();
            if (first && op != Opcodes.PROTO) throw new ModelFormatException("not a protocol 2 pickle (first opcode " + Opcodes.name(op) + ")");
            first = false;
            switch (op) {
                case Opcodes.PROTO -> {
                    int proto = in.u8();
                    if (proto < 2 || proto > 3) throw new ModelFormatException("pickle protocol " + proto + " is not supported (torch.save writes protocol 2)");
                }
                case Opcodes.STOP -> {
                    if (!marks.isEmpty()) throw new ModelFormatException("STOP with an unclosed MARK");
                    if (stack.size() != 1) throw new ModelFormatException("STOP with " + stack.size() + " values on the stack (expected 1)");
                    return stack.getFirst();
                }
                case Opcodes.NONE -> push(null);
                case Opcodes.NEWTRUE -> push(Boolean.TRUE);
                case Opcodes.NEWFALSE -> push(Boolean.FALSE);
                case Opcodes.BININT -> push((long) le32());
                case Opcodes.BININT1 -> push((long) in.u8());
                case Opcodes.BININT2 -> push((long) (in.u8() | in.u8() << 8));
                case Opcodes.LONG1 -> push(decodeLong(in.bytes(in.u8())));
                case Opcodes.BINFLOAT -> {
                    long bits = 0;
                    for (int i = 0; i < 8; i++) bits = bits << 8 | in.u8(); // big-endian, as pickle writes it
                    push(Double.longBitsToDouble(bits));
                }
                case Opcodes.BINUNICODE -> push(PickleStrings.decodeUtf8(string(le32() & 0xFFFFFFFFL)));
                case Opcodes.SHORT_BINSTRING -> push(PickleStrings.decodeUtf8(string(in.u8())));
                case Opcodes.EMPTY_TUPLE -> push(PyTuple.EMPTY);
                case Opcodes.EMPTY_LIST -> push(new ArrayList<>());
                case Opcodes.EMPTY_DICT -> push(new LinkedHashMap<>());
                case Opcodes.EMPTY_SET -> push(new LinkedHashSet<>());
                case Opcodes.MARK -> {
                    if (marks.size() >= limits.maxMarkDepth()) throw new ModelFormatException("more than " + limits.maxMarkDepth() + " nested MARKs");
                    marks.add(stack.size());
                }
                case Opcodes.TUPLE -> push(PyTuple.wrap(popMark("TUPLE").toArray()));
                case Opcodes.TUPLE1 -> push(PyTuple.wrap(popN(1, "TUPLE1")));
                case Opcodes.TUPLE2 -> push(PyTuple.wrap(popN(2, "TUPLE2")));
                case Opcodes.TUPLE3 -> push(PyTuple.wrap(popN(3, "TUPLE3")));
                case Opcodes.APPEND -> {
                    Object item = pop("APPEND");
                    list("APPEND").add(item);
                }
                case Opcodes.APPENDS -> {
                    List<Object> items = popMark("APPENDS");
                    list("APPENDS").addAll(items);
                }
                case Opcodes.SETITEM -> {
                    Object v = pop("SETITEM"), k = pop("SETITEM");
                    dict("SETITEM").put(key(k), v);
                }
                case Opcodes.SETITEMS -> {
                    List<Object> items = popMark("SETITEMS");
                    if (items.size() % 2 != 0) throw new ModelFormatException("SETITEMS with an odd number of items (" + items.size() + ")");
                    Map<Object, Object> d = dict("SETITEMS");
                    for (int i = 0; i < items.size(); i += 2) d.put(key(items.get(i)), items.get(i + 1));
                }
                case Opcodes.BINPUT -> put(in.u8());
                case Opcodes.LONG_BINPUT -> put(le32() & 0xFFFFFFFFL);
                case Opcodes.BINGET -> get(in.u8());
                case Opcodes.LONG_BINGET -> get(le32() & 0xFFFFFFFFL);
                case Opcodes.GLOBAL -> push(PickleGlobal.lookup(line(), line()));
                case Opcodes.REDUCE -> {
                    Object args = pop("REDUCE"), fn = pop("REDUCE");
                    push(Reducers.reduce(fn, args, storages));
                }
                case Opcodes.BUILD -> {
                    Object state = pop("BUILD");
                    Object inst = peek("BUILD");
                    if (!(inst instanceof PyOrderedDict d))
                        throw new ModelFormatException("Can only BUILD an OrderedDict (its _metadata), but got " + Values.describe(inst));
                    if (!(state instanceof Map<?, ?> m)) throw new ModelFormatException("BUILD state for an OrderedDict must be a dict, got " + Values.describe(state));
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (!(e.getKey() instanceof String name)) throw new ModelFormatException("OrderedDict attribute name must be a string, got " + Values.describe(e.getKey()));
                        d.attributes().put(name, e.getValue());
                    }
                }
                case Opcodes.BINPERSID -> push(storages.persistentLoad(pop("BINPERSID")));
                default -> throw new ModelFormatException("Unsupported operand " + op + " (" + Opcodes.name(op) + "); Ember's unpickler accepts only the opcodes "
                        + "torch.load(weights_only=True) allows");
            }
        }
    }

    private void push(Object v) throws ModelFormatException {
        if (stack.size() >= limits.maxPickleStack()) throw new ModelFormatException("pickle stack grew beyond " + limits.maxPickleStack() + " values");
        stack.add(v);
    }

    private int floor() { return marks.isEmpty() ? 0 : marks.getLast(); }

    private Object pop(String op) throws ModelFormatException {
        if (stack.size() <= floor()) throw new ModelFormatException(op + " on an empty stack");
        return stack.removeLast();
    }

    private Object peek(String op) throws ModelFormatException {
        if (stack.size() <= floor()) throw new ModelFormatException(op + " on an empty stack");
        return stack.getLast();
    }

    private Object[] popN(int n, String op) throws ModelFormatException {
        if (stack.size() - floor() < n) throw new ModelFormatException(op + " needs " + n + " values on the stack");
        Object[] out = new Object[n];
        for (int i = n - 1; i >= 0; i--) out[i] = stack.removeLast();
        return out;
    }

    private List<Object> popMark(String op) throws ModelFormatException {
        if (marks.isEmpty()) throw new ModelFormatException(op + " without a MARK");
        int at = marks.removeLast();
        List<Object> tail = stack.subList(at, stack.size());
        List<Object> items = new ArrayList<>(tail);
        tail.clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(String op) throws ModelFormatException {
        Object target = peek(op);
        if (!(target instanceof ArrayList<?>)) throw new ModelFormatException("Can only " + op + " to lists, but got " + Values.describe(target));
        return (List<Object>) target;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(String op) throws ModelFormatException {
        Object target = peek(op);
        if (!(target instanceof LinkedHashMap<?, ?>))
            throw new ModelFormatException("Can only " + op + " for dict or collections.OrderedDict, but got " + Values.describe(target));
        return (Map<Object, Object>) target;
    }

    private static Object key(Object k) throws ModelFormatException {
        if (!Values.isHashable(k)) throw new ModelFormatException("dict key " + Values.describe(k) + " is unhashable or not supported (keys must be str, int, float, bool, None or flat tuples)");
        return k;
    }

    private void put(long index) throws ModelFormatException {
        Object v = peek("PUT");
        if (!memo.containsKey(index) && memo.size() >= limits.maxMemo()) throw new ModelFormatException("pickle memo grew beyond " + limits.maxMemo() + " entries");
        memo.put(index, v);
    }

    private void get(long index) throws ModelFormatException {
        if (!memo.containsKey(index)) throw new ModelFormatException("memo GET of index " + index + " that was never PUT");
        push(memo.get(index));
    }

    private int le32() throws IOException {
        return in.u8() | in.u8() << 8 | in.u8() << 16 | in.u8() << 24;
    }

    private byte[] string(long len) throws IOException {
        if (len > limits.maxStringBytes()) throw new ModelFormatException("string of " + len + " bytes exceeds the limit of " + limits.maxStringBytes());
        if (in.position() - start + len > limits.maxPickleBytes()) throw new ModelFormatException("pickle is larger than the limit of " + limits.maxPickleBytes() + " bytes");
        if (len > in.remaining()) throw new EOFException("string of " + len + " bytes runs past the end of the pickle");
        return in.bytes((int) len);
    }

    /** GLOBAL's newline-terminated module and name: short printable ASCII identifiers with dots. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int c = in.u8();
            if (c == '\n') break;
            if (sb.length() >= 200 || c < 0x21 || c > 0x7E) throw new ModelFormatException("GLOBAL name is not a short printable identifier");
            sb.append((char) c);
        }
        return sb.toString();
    }

    /** LONG1: little-endian two's complement; a Long when it fits, else a BigInteger (as Python ints are unbounded). */
    private static Object decodeLong(byte[] b) {
        if (b.length == 0) return 0L;
        byte[] be = new byte[b.length];
        for (int i = 0; i < b.length; i++) be[i] = b[b.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }
}

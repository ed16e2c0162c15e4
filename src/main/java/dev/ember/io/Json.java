package dev.ember.io;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON (RFC 8259) for the files Ember reads below the serving layer: safetensors headers,
 * model.json, config.json. Nothing here may use Jackson (the engine stays framework-free).
 *
 * <p>Values map to plain Java: objects to {@code LinkedHashMap<String, Object>} (key order kept), arrays to
 * {@code ArrayList<Object>}, strings to {@code String}, integers to {@code Long} (or {@code BigInteger} beyond
 * 64 bits, so no integer is ever rounded), other numbers to {@code Double}, {@code true/false} to
 * {@code Boolean}, {@code null} to {@code null}. Duplicate keys, comments, trailing commas, leading zeros,
 * NaN, unpaired surrogates and control characters in strings are errors that carry their offset.
 */
public final class Json {
    /**
     * @param maxChars input length in characters
     * @param maxDepth nesting of arrays and objects
     */
    public record Limits(int maxChars, int maxDepth) {
        public static final Limits DEFAULT = new Limits(100_000_000, 64);

        public Limits {
            if (maxChars <= 0 || maxDepth <= 0) throw new IllegalArgumentException("JSON limits must be positive");
        }
    }

    private Json() {}

    public static Object parse(String text) { return parse(text, Limits.DEFAULT); }

    public static Object parse(String text, Limits limits) {
        if (text.length() > limits.maxChars())
            throw new JsonException("JSON text of " + text.length() + " characters exceeds the limit of " + limits.maxChars());
        return new JsonParser(text, limits.maxDepth()).parseDocument();
    }

    /** Parses UTF-8 bytes; malformed UTF-8 is an error (JSON text exchanged between systems must be UTF-8). */
    public static Object parse(byte[] utf8, Limits limits) {
        if (utf8.length > limits.maxChars())
            throw new JsonException("JSON text of " + utf8.length + " bytes exceeds the limit of " + limits.maxChars());
        return parse(decodeUtf8(utf8), limits);
    }

    static String decodeUtf8(byte[] utf8) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new JsonException("JSON text is not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    /** Compact JSON text. */
    public static String write(Object value) { return write(value, false); }

    /** JSON text indented by two spaces per level, for files people read (model.json, config.json). */
    public static String writePretty(Object value) { return write(value, true); }

    private static String write(Object value, boolean pretty) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, pretty).value(value, 0);
        return sb.toString();
    }

    private record Writer(StringBuilder sb, boolean pretty, IdentityHashMap<Object, Boolean> open) {
        Writer(StringBuilder sb, boolean pretty) { this(sb, pretty, new IdentityHashMap<>()); }

        void value(Object v, int depth) {
            switch (v) {
                case null -> sb.append("null");
                case String s -> string(s);
                case Boolean b -> sb.append(b);
                case Long _, Integer _, Short _, Byte _, BigInteger _ -> sb.append(v);
                case Double d -> finite(d, d.isNaN() || d.isInfinite());
                case Float f -> finite(f.doubleValue(), f.isNaN() || f.isInfinite());
                case BigDecimal d -> sb.append(d.toString());
                case Map<?, ?> m -> container(m, depth, '{', '}', () -> {
                    boolean first = true;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (!(e.getKey() instanceof String k)) throw new JsonException("JSON object keys must be strings, got " + typeName(e.getKey()));
                        first = separator(first, depth + 1);
                        string(k);
                        sb.append(pretty ? ": " : ":");
                        value(e.getValue(), depth + 1);
                    }
                    return first;
                });
                case List<?> l -> container(l, depth, '[', ']', () -> {
                    boolean first = true;
                    for (Object o : l) {
                        first = separator(first, depth + 1);
                        value(o, depth + 1);
                    }
                    return first;
                });
                default -> throw new JsonException("cannot write a " + typeName(v) + " as JSON");
            }
        }

        private void finite(double d, boolean bad) {
            if (bad) throw new JsonException("JSON has no representation for " + d);
            sb.append(d);
        }

        private interface Body { boolean write(); }

        private void container(Object c, int depth, char open, char close, Body body) {
            if (this.open.put(c, Boolean.TRUE) != null) throw new JsonException("cannot write a value that contains itself as JSON");
            sb.append(open);
            boolean empty = body.write();
            if (pretty && !empty) newline(depth);
            sb.append(close);
            this.open.remove(c);
        }

        private boolean separator(boolean first, int depth) {
            if (!first) sb.append(',');
            if (pretty) newline(depth);
            return false;
        }

        private void newline(int depth) {
            sb.append('\n');
            sb.repeat("  ", depth);
        }

        private void string(String s) {
            sb.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\b' -> sb.append("\\b");
                    case '\f' -> sb.append("\\f");
                    default -> {
                        if (Character.isSurrogate(c) && !pairedAt(s, i))
                            throw new JsonException("cannot write an unpaired surrogate (U+" + Integer.toHexString(c) + ") as JSON");
                        if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                        else sb.append(c);
                    }
                }
            }
            sb.append('"');
        }

        private static boolean pairedAt(String s, int i) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        }
    }

    static String typeName(Object v) { return v == null ? "null" : v.getClass().getSimpleName(); }
}

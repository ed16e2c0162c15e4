package dev.ember.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recursive-descent parser behind {@link Json#parse}; recursion is bounded by the depth limit. */
final class JsonParser {
    private final String s;
    private final int maxDepth;
    private int pos;

    JsonParser(String s, int maxDepth) {
        this.s = s;
        this.maxDepth = maxDepth;
    }

    Object parseDocument() {
        if (!s.isEmpty() && s.charAt(0) == '\uFEFF') throw error("byte order mark before the JSON text");
        skipWhitespace();
        Object v = value(0);
        skipWhitespace();
        if (pos < s.length()) throw error("unexpected " + describe(pos) + " after the JSON value");
        return v;
    }

    private Object value(int depth) {
        if (pos >= s.length()) throw error("unexpected end of input, expected a value");
        char c = s.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw error("unexpected " + describe(pos) + ", expected a value");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels");
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') throw error("expected a string key, got " + describe(pos));
            int keyAt = pos;
            String key = string();
            if (m.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            m.put(key, value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') return m;
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in an object, got " + describe(pos));
            }
        }
    }

    private List<Object> array(int depth) {
        if (depth > maxDepth) throw error("nesting deeper than " + maxDepth + " levels");
        pos++;
        List<Object> l = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return l;
        }
        while (true) {
            skipWhitespace();
            l.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') return l;
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in an array, got " + describe(pos));
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= s.length()) throw error("unterminated string");
            char c = s.charAt(pos);
            if (c == '"') {
                String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                pos++;
                return out;
            }
            if (c < 0x20) throw error("control character U+" + String.format("%04X", (int) c) + " in a string (escape it)");
            if (Character.isSurrogate(c)) {
                if (!(Character.isHighSurrogate(c) && pos + 1 < s.length() && Character.isLowSurrogate(s.charAt(pos + 1))))
                    throw error("unpaired surrogate U+" + String.format("%04X", (int) c) + " in a string");
                pos += 2;
                continue;
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) sb = new StringBuilder();
            sb.append(s, start, pos);
            pos++;
            if (pos >= s.length()) throw error("unterminated escape");
            char e = s.charAt(pos++);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char u = hex4();
                    if (Character.isHighSurrogate(u)) {
                        if (!s.startsWith("\\u", pos)) throw error("unpaired surrogate \\u" + String.format("%04x", (int) u));
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) throw error("unpaired surrogate \\u" + String.format("%04x", (int) u));
                        sb.append(u).append(low);
                    } else if (Character.isLowSurrogate(u)) {
                        pos -= 6;
                        throw error("unpaired surrogate \\u" + String.format("%04x", (int) u));
                    } else {
                        sb.append(u);
                    }
                }
                default -> {
                    pos -= 2;
                    throw error("invalid escape \\" + e);
                }
            }
            start = pos;
        }
    }

    private char hex4() {
        if (pos + 4 > s.length()) throw error("truncated \\u escape");
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0 || s.charAt(pos + i) > 'f') throw error("invalid hex digit in a \\u escape");
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit");
        if (s.charAt(pos) == '0') {
            pos++;
            if (pos < s.length() && isDigit(s.charAt(pos))) throw error("leading zeros are not allowed");
        } else {
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        }
        boolean integral = true;
        if (pos < s.length() && s.charAt(pos) == '.') {
            integral = false;
            pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit after the decimal point");
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) pos++;
            if (pos >= s.length() || !isDigit(s.charAt(pos))) throw error("expected a digit in the exponent");
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
        }
        String text = s.substring(start, pos);
        if (text.length() > 1000) {
            pos = start;
            throw error("number literal longer than 1000 characters");
        }
        if (integral) {
            if (text.length() <= 18) return Long.parseLong(text);
            BigInteger b = new BigInteger(text);
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
            pos = start;
            throw error("number " + text + " is out of the double range");
        }
        return d;
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) throw error("unexpected " + describe(pos) + ", expected a value");
        pos += word.length();
        return v;
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private char peek() {
        if (pos >= s.length()) throw error("unexpected end of input");
        return s.charAt(pos);
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "', got " + describe(pos));
        pos++;
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
            pos++;
        }
    }

    private String describe(int at) {
        if (at >= s.length()) return "end of input";
        char c = s.charAt(at);
        return c >= 0x20 && c < 0x7F ? "'" + c + "'" : "U+" + String.format("%04X", (int) c);
    }

    private JsonException error(String message) {
        int line = 1, col = 1;
        for (int i = 0; i < Math.min(pos, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new JsonException(message, pos, line, col);
    }
}

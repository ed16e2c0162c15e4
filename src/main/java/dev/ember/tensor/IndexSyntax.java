package dev.ember.tensor;

import java.util.ArrayList;
import java.util.List;

/** The recursive-descent parser behind {@link Idx#parse}; the grammar is documented there. */
final class IndexSyntax {
    private final String text;
    private int pos;

    private IndexSyntax(String text) { this.text = text; }

    static Object[] parse(String text) {
        IndexSyntax p = new IndexSyntax(text);
        List<Object> items = new ArrayList<>();
        p.skipSpace();
        while (!p.atEnd()) {
            items.add(p.item());
            p.skipSpace();
            if (p.atEnd()) break;
            p.expect(',');
            p.skipSpace();
        }
        return items.toArray();
    }

    private Object item() {
        if (consumeWord("None")) return Idx.none();
        if (consumeWord("True")) return Boolean.TRUE;
        if (consumeWord("False")) return Boolean.FALSE;
        if (text.startsWith("...", pos)) {
            pos += 3;
            return Idx.ellipsis();
        }
        if (peek() == '[') return list();
        Long start = optionalInt();
        skipSpace();
        if (peek() != ':') {
            if (start == null) throw error("expected an index");
            return start;
        }
        pos++;
        Long stop = optionalInt();
        Long step = null;
        skipSpace();
        if (peek() == ':') {
            pos++;
            step = optionalInt();
        }
        return Idx.slice(toInt(start), toInt(stop), toInt(step));
    }

    private Tensor list() {
        expect('[');
        List<Long> ints = new ArrayList<>();
        List<Boolean> bools = new ArrayList<>();
        skipSpace();
        while (peek() != ']') {
            if (consumeWord("True")) bools.add(true);
            else if (consumeWord("False")) bools.add(false);
            else {
                Long v = optionalInt();
                if (v == null) throw error(peek() == '[' ? "nested lists are not supported" : "expected an integer or a bool in a list");
                ints.add(v);
            }
            if (!ints.isEmpty() && !bools.isEmpty()) throw error("a list mixes integers and bools");
            skipSpace();
            if (peek() == ']') break;
            expect(',');
            skipSpace();
        }
        pos++;
        if (!bools.isEmpty()) {
            boolean[] b = new boolean[bools.size()];
            for (int i = 0; i < b.length; i++) b[i] = bools.get(i);
            return Tensor.tensor(b);
        }
        long[] v = new long[ints.size()];
        for (int i = 0; i < v.length; i++) v[i] = ints.get(i);
        return Tensor.fromArray(v, v.length);
    }

    private Long optionalInt() {
        skipSpace();
        int start = pos;
        if (peek() == '-' || peek() == '+') pos++;
        int digits = pos;
        while (!atEnd() && Character.isDigit(text.charAt(pos))) pos++;
        if (pos == digits) {
            pos = start;
            return null;
        }
        try {
            return Long.parseLong(text.substring(start, pos));
        } catch (NumberFormatException e) {
            throw error("integer out of range");
        }
    }

    private Integer toInt(Long v) {
        if (v == null) return null;
        // Slice bounds clamp to the dim size, so saturating keeps Python's meaning for huge bounds.
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private boolean consumeWord(String w) {
        if (!text.startsWith(w, pos)) return false;
        int end = pos + w.length();
        if (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) return false;
        pos = end;
        return true;
    }

    private void expect(char c) {
        if (peek() != c) throw error("expected '" + c + "'");
        pos++;
    }

    private char peek() { return atEnd() ? '\0' : text.charAt(pos); }

    private boolean atEnd() { return pos >= text.length(); }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("invalid index \"" + text + "\" at column " + (pos + 1) + ": " + what);
    }
}

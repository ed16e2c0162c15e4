package dev.ember.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python-callable's parameters written in PyTorch's schema syntax, e.g.
 * {@code "Tensor input, int[] kernel_size, int[]? stride=None, int[] padding=0, *, ScalarType? dtype=None"}, bound
 * the way Python binds a call: positional arguments, then keywords, then defaults, with Python's error texts
 * ({@code max_pool2d() got an unexpected keyword argument 'foo'}). {@code int... size} collects the remaining
 * positional arguments, as {@code view(*shape)} does (a single list argument is taken as the whole shape).
 */
final class Signature {
    record Param(String name, ArgType type, boolean optional, boolean hasDefault, Object dflt, boolean kwOnly, boolean varargs) {}

    final String fn;
    final List<Param> params;
    private final Map<String, Integer> index = new HashMap<>();

    private Signature(String fn, List<Param> params) {
        this.fn = fn;
        this.params = List.copyOf(params);
        for (int i = 0; i < params.size(); i++) index.put(params.get(i).name(), i);
    }

    static Signature parse(String fn, String schema) {
        List<Param> params = new ArrayList<>();
        boolean kwOnly = false;
        for (String part : splitTopLevel(schema)) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            if (p.equals("*")) {
                kwOnly = true;
                continue;
            }
            String decl = p, dflt = null;
            int eq = p.indexOf('=');
            if (eq >= 0) {
                decl = p.substring(0, eq).strip();
                dflt = p.substring(eq + 1).strip();
            }
            int sp = decl.lastIndexOf(' ');
            String type = decl.substring(0, sp).strip(), name = decl.substring(sp + 1);
            boolean varargs = type.endsWith("...");
            if (varargs) type = type.startsWith("int") ? "int[]" : "Any";
            boolean optional = type.endsWith("?");
            if (optional) type = type.substring(0, type.length() - 1);
            params.add(new Param(name, ArgType.parse(type), optional, dflt != null, dflt == null ? null : literal(dflt), kwOnly, varargs));
        }
        return new Signature(fn, params);
    }

    boolean has(String name) { return index.containsKey(name); }

    int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) throw new IllegalStateException(fn + " has no parameter " + name);
        return i;
    }

    /** Python's binding of positional and keyword arguments to the parameters, defaults filled in. */
    Object[] bind(List<Object> args, Map<String, Object> kwargs) {
        Object[] out = new Object[params.size()];
        boolean[] set = new boolean[params.size()];
        int positional = 0;
        for (Param p : params) if (!p.kwOnly() && !p.varargs()) positional++;
        int vararg = -1;
        for (int i = 0; i < params.size(); i++) if (params.get(i).varargs()) vararg = i;
        int ai = 0;
        for (int i = 0; i < params.size() && ai < args.size(); i++) {
            Param p = params.get(i);
            if (p.kwOnly()) break;
            if (p.varargs()) {
                List<Object> rest = new ArrayList<>(args.subList(ai, args.size()));
                out[i] = rest; // a single list (view((2, 3))) is unpacked when read: it may be a node's value
                set[i] = true;
                ai = args.size();
                break;
            }
            out[i] = args.get(ai++);
            set[i] = true;
        }
        if (ai < args.size()) {
            int min = 0;
            for (Param p : params) if (!p.kwOnly() && !p.varargs() && !p.hasDefault()) min++;
            String takes = min == positional ? String.valueOf(positional) : "from " + min + " to " + positional;
            throw new IllegalArgumentException(fn + "() takes " + takes + " positional argument" + (positional == 1 ? "" : "s") + " but " + args.size()
                    + (args.size() == 1 ? " was" : " were") + " given");
        }
        for (Map.Entry<String, Object> kw : kwargs.entrySet()) {
            Integer i = index.get(kw.getKey());
            if (i == null || i == vararg) throw new IllegalArgumentException(fn + "() got an unexpected keyword argument '" + kw.getKey() + "'");
            if (set[i]) throw new IllegalArgumentException(fn + "() got multiple values for argument '" + kw.getKey() + "'");
            out[i] = kw.getValue();
            set[i] = true;
        }
        for (int i = 0; i < params.size(); i++) {
            if (set[i]) continue;
            Param p = params.get(i);
            if (p.varargs()) out[i] = new ArrayList<>();
            else if (p.hasDefault()) out[i] = p.dflt();
            else throw new IllegalArgumentException(fn + "() missing 1 required " + (p.kwOnly() ? "keyword-only" : "positional") + " argument: '" + p.name() + "'");
        }
        return out;
    }

    /** Null when {@code v} suits parameter {@code i}, else PyTorch's argument-parser message. */
    String typeError(int i, Object v) {
        Param p = params.get(i);
        if (v == null ? p.optional() || p.type() == ArgType.ANY : p.type().accepts(v)) return null;
        return fn + "(): argument '" + p.name() + "' (position " + (i + 1) + ") must be " + p.type().description + ", not " + ArgType.pyType(v);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[' || c == '(') depth++;
            else if (c == ']' || c == ')') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /** The Python literals defaults are written in: None, True, False, ints, floats, 'strings', [lists]. */
    private static Object literal(String s) {
        if (s.equals("None")) return null;
        if (s.equals("True")) return Boolean.TRUE;
        if (s.equals("False")) return Boolean.FALSE;
        if (s.startsWith("'") && s.endsWith("'")) return s.substring(1, s.length() - 1);
        if (s.startsWith("[")) {
            List<Object> l = new ArrayList<>();
            for (String e : splitTopLevel(s.substring(1, s.length() - 1))) if (!e.isBlank()) l.add(literal(e.strip()));
            return List.copyOf(l);
        }
        if (s.contains(".") || s.contains("e")) return Double.parseDouble(s);
        return Long.parseLong(s);
    }
}

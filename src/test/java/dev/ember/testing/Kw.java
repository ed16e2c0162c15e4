package dev.ember.testing;

import com.fasterxml.jackson.databind.JsonNode;

/** A fixture case's keyword arguments. */
public record Kw(JsonNode node) {
    public int i(String name) { return get(name).asInt(); }

    public long l(String name) { return get(name).asLong(); }

    public double d(String name) { return get(name).asDouble(); }

    public boolean b(String name) { return get(name).asBoolean(); }

    public String s(String name) { return get(name).asText(); }

    public boolean has(String name) { return node != null && node.has(name) && !node.get(name).isNull(); }

    public int[] ints(String name) {
        JsonNode a = get(name);
        if (!a.isArray()) return new int[] {a.asInt()};
        int[] out = new int[a.size()];
        for (int k = 0; k < out.length; k++) out[k] = a.get(k).asInt();
        return out;
    }

    public double[] doubles(String name) {
        JsonNode a = get(name);
        if (!a.isArray()) return new double[] {a.asDouble()};
        double[] out = new double[a.size()];
        for (int k = 0; k < out.length; k++) out[k] = a.get(k).asDouble();
        return out;
    }

    /** Whether the argument is a JSON integer (Python int) rather than a float. */
    public boolean isInt(String name) { return get(name).isIntegralNumber(); }

    private JsonNode get(String name) {
        if (node == null || !node.has(name)) throw new IllegalArgumentException("fixture case has no argument '" + name + "'");
        return node.get(name);
    }
}

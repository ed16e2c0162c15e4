package dev.ember.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.serving.ServingException;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The protocol's {@code parameters} objects: string keys to string, number or boolean values. */
final class JsonParameters {
    private JsonParameters() {}

    static Map<String, Object> read(JsonNode node, String where) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) return out;
        if (!node.isObject()) throw ServingException.invalid("'parameters' of " + where + " must be an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object value;
            if (v.isBoolean()) value = v.booleanValue();
            else if (v.isIntegralNumber() && v.canConvertToLong()) value = v.longValue();
            else if (v.isNumber()) value = v.doubleValue();
            else if (v.isTextual()) value = v.textValue();
            else throw ServingException.invalid("parameter '" + e.getKey() + "' of " + where + " must be a string, number or boolean");
            out.put(e.getKey(), value);
        }
        return out;
    }
}

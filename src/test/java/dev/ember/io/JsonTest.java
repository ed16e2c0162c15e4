package dev.ember.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    @Test
    void valuesMapToPlainJavaWithExactNumbers() {
        Object v = Json.parse(" {\"b\": [1, -0, 9223372036854775807, 9223372036854775808, 1.5, 1e-5, -2E+3], \"a\": {\"x\": null, \"t\": true, \"f\": false},"
                + " \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"} ");
        assertThat(v).isInstanceOf(LinkedHashMap.class);
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(List.<Object>copyOf(m.keySet())).isEqualTo(List.of("b", "a", "s"));
        assertThat(m.get("b")).isEqualTo(List.of(1L, 0L, Long.MAX_VALUE, new BigInteger("9223372036854775808"), 1.5, 1e-5, -2000.0));
        Map<?, ?> a = (Map<?, ?>) m.get("a");
        assertThat(a.containsKey("x")).isTrue();
        assertThat(a.get("x")).isNull();
        assertThat(a.get("t")).isEqualTo(true);
        assertThat(m.get("s")).isEqualTo("q\"\\/\b\f\n\r\té\uD83D\uDE00");
        assertThat(Json.parse("[]")).isEqualTo(new ArrayList<>());
        assertThat(Json.parse("\"x\"")).isEqualTo("x");
        assertThat(Json.parse("-12")).isEqualTo(-12L);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1,\"a\":2}|duplicate key \"a\"|7",
            "[1,]|expected a value|3",
            "{\"a\":1,}|expected a string key|7",
            "[01]|leading zeros|2",
            "[NaN]|expected a value|1",
            "[1.]|digit after the decimal point|3",
            "[1e]|digit in the exponent|3",
            "/* c */[1]|expected a value|0",
            "[1] x|after the JSON value|4",
            "[\"a\u0001\"]|control character U+0001|3",
            "[\"\\x\"]|invalid escape \\x|2",
            "[\"\\ud800\"]|unpaired surrogate|8",
            "[\"\\udc00\"]|unpaired surrogate|2",
            "[\"abc|unterminated string|5",
            "{\"a\" 1}|expected ':'|5",
            "[1e999]|out of the double range|1",
            "|unexpected end of input|0",
            "\uFEFF[]|byte order mark|0",
            "[tru]|expected a value|1",
    })
    void malformedJsonIsAnErrorWithItsOffset(String text, String message, long offset) {
        assertThatThrownBy(() -> Json.parse(text == null ? "" : text)).isInstanceOf(JsonException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((JsonException) e).offset()).isEqualTo(offset));
    }

    @Test
    void errorsNameLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\n  \"a\": 1,\n  \"a\": 2\n}")).hasMessageContaining("line 3, column 3");
    }

    @Test
    void limitsAreEnforced() {
        assertThatThrownBy(() -> Json.parse("[".repeat(65) + "]".repeat(65))).hasMessageContaining("nesting deeper than 64");
        assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).isNotNull();
        assertThatThrownBy(() -> Json.parse("[1, 2, 3]", new Json.Limits(5, 10))).hasMessageContaining("exceeds the limit of 5");
        assertThatThrownBy(() -> Json.parse("1".repeat(2000))).hasMessageContaining("longer than 1000");
        assertThatThrownBy(() -> Json.parse(new byte[] {'"', (byte) 0xC3, '"'}, Json.Limits.DEFAULT)).hasMessageContaining("not valid UTF-8");
        assertThat(Json.parse("\"é\"".getBytes(StandardCharsets.UTF_8), Json.Limits.DEFAULT)).isEqualTo("é");
    }

    @Test
    void writerRoundTripsAndRefusesWhatJsonCannotHold() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", null);
        m.put("list", List.of(1L, 2.5, -0.0, 1e-7, new BigInteger("123456789012345678901234567890"), true));
        m.put("s", "tab\t \"quoted\" \u0001 é \uD83D\uDE00");
        m.put("nested", Map.of("k", List.of()));
        String text = Json.write(m);
        assertThat(text).isEqualTo("{\"n\":null,\"list\":[1,2.5,-0.0,1.0E-7,123456789012345678901234567890,true],"
                + "\"s\":\"tab\\t \\\"quoted\\\" \\u0001 é \uD83D\uDE00\",\"nested\":{\"k\":[]}}");
        assertThat(Json.parse(text)).isEqualTo(m);
        assertThat(Json.writePretty(Map.of("a", List.of(1L)))).isEqualTo("{\n  \"a\": [\n    1\n  ]\n}");
        assertThatThrownBy(() -> Json.write(List.of(Double.NaN))).hasMessageContaining("no representation for NaN");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("keys must be strings");
        assertThatThrownBy(() -> Json.write("\uD800")).hasMessageContaining("unpaired surrogate");
        List<Object> self = new ArrayList<>();
        self.add(self);
        assertThatThrownBy(() -> Json.write(self)).hasMessageContaining("contains itself");
        assertThatThrownBy(() -> Json.write(new Object())).hasMessageContaining("cannot write a Object");
    }
}

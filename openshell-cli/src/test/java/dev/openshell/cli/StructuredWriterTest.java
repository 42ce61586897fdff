package dev.openshell.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructuredWriterTest {

    private static Map<String, Object> sample() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("path", "network_policies.gh.endpoints[0].host");
        error.put("line", 7);
        error.put("message", "say \"hi\"\\\n\tthen\u0001");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", "a.yaml");
        doc.put("valid", false);
        doc.put("note", null);
        doc.put("errors", List.of(error));
        doc.put("empty", List.of());
        doc.put("nested", Map.of("x-y", Arrays.asList("a", 1)));
        return doc;
    }

    @Test
    void json() {
        assertThat(StructuredWriter.json(sample())).isEqualTo("""
                        {
                          "file": "a.yaml",
                          "valid": false,
                          "note": null,
                          "errors": [
                            {
                              "path": "network_policies.gh.endpoints[0].host",
                              "line": 7,
                              "message": "say \\"hi\\"\\\\\\n\\tthen\\u0001"
                            }
                          ],
                          "empty": [],
                          "nested": {
                            "x-y": [
                              "a",
                              1
                            ]
                          }
                        }
                        """);
    }

    @Test
    void yaml() {
        assertThat(StructuredWriter.yaml(sample())).isEqualTo("""
                        file: "a.yaml"
                        valid: false
                        note: null
                        errors:
                          - path: "network_policies.gh.endpoints[0].host"
                            line: 7
                            message: "say \\"hi\\"\\\\\\n\\tthen\\u0001"
                        empty: []
                        nested:
                          "x-y":
                            - "a"
                            - 1
                        """);
    }

    @Test
    void scalarsAtTheTop() {
        assertThat(StructuredWriter.json(List.of())).isEqualTo("[]\n");
        assertThat(StructuredWriter.yaml("x")).isEqualTo("\"x\"\n");
    }
}

package dev.openshell.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.FieldError;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelRulesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "team",
                "Team",
                "app.kubernetes.io/name",
                "example.com/a_b-c.d",
                "a",
                "x/y",
                "A1",
                "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123"
            })
    void validKeys(String key) {
        assertThat(LabelRules.keyViolation(key)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            ignoreLeadingAndTrailingWhitespace = false,
            value = {
                "\"\"|a label key must not be empty",
                "/team|the prefix before '/' is empty",
                "team/|the name part is empty",
                "Example.com/team|is not a DNS subdomain",
                "a/b/c|'/' at position 2 is not allowed",
                "-team|must begin and end with a letter or digit",
                "team.|must begin and end with a letter or digit",
                "../etc|the prefix '..' is not a DNS subdomain",
                "..|must begin and end with a letter or digit",
                "tëam|'ë' at position 2 is not allowed",
                "te am|' ' at position 3 is not allowed",
                "example..com/x|is not a DNS subdomain",
            })
    void invalidKeys(String key, String message) {
        assertThat(LabelRules.keyViolation(key))
                .hasValueSatisfying(m -> assertThat(m).contains(message));
    }

    @Test
    void keyPartsHaveLengthLimits() {
        assertThat(LabelRules.keyViolation("a".repeat(64)))
                .hasValueSatisfying(m -> assertThat(m).contains("64 characters"));
        String prefix = ("a".repeat(63) + ".").repeat(4) + "com"; // 259 characters
        assertThat(LabelRules.keyViolation(prefix + "/x"))
                .hasValueSatisfying(m -> assertThat(m).contains("at most 253"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ml", "v1.2.3", "A_b-C"})
    void validValues(String value) {
        assertThat(LabelRules.valueViolation(value)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "-x", "x-", "a/b", "é", "a\u0000", "\n"})
    void invalidValues(String value) {
        assertThat(LabelRules.valueViolation(value)).isPresent();
        assertThat(LabelRules.valueViolation(value).orElseThrow()).doesNotContainPattern("\\p{Cc}");
    }

    @Test
    void checkNamesEachBadLabelAndCapsTheCount() {
        Violations v = new Violations();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("ok", "fine");
        labels.put("bad key", "x");
        labels.put("team", "bad value");
        LabelRules.check(v, "labels", labels);
        assertThat(v.errors()).extracting(FieldError::field).containsExactlyInAnyOrder("labels.bad key", "labels.team");

        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            many.put("k" + i, "v");
        }
        Violations tooMany = new Violations();
        LabelRules.check(tooMany, "labels", many);
        assertThat(tooMany.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message()).contains("65 labels; at most 64"));
    }
}

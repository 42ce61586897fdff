package dev.openshell.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvironmentRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "_x", "a1", "OPENAI_API_KEY", "lower"})
    void validNames(String name) {
        assertThat(EnvironmentRules.nameViolation(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1A", "A-B", "A=B", "A B", "Ä", "A\u0000", "../x", "A\nB"})
    void invalidNames(String name) {
        assertThat(EnvironmentRules.nameViolation(name)).isPresent();
    }

    @Test
    void valuesMayNotHoldNulOrExceedTheKernelLimit() {
        Violations v = new Violations();
        EnvironmentRules.check(
                v,
                "env",
                Map.of("A", "x\u0000y", "B", "z".repeat(EnvironmentRules.MAX_VALUE_LENGTH + 1), "C", "multi\nline ok"));
        assertThat(v.errors()).hasSize(2);
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= EnvironmentRules.MAX_VARIABLES; i++) {
            many.put("V" + i, "");
        }
        Violations tooMany = new Violations();
        EnvironmentRules.check(tooMany, "env", many);
        assertThat(tooMany.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.message()).contains("at most 256"));
    }
}

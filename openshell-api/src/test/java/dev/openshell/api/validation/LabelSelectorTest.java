package dev.openshell.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {

    @Test
    void parsesEveryOperatorAndMatches() {
        LabelSelector s = LabelSelector.parse("selector", "team=ml, env!=prod,gpu,!legacy,tier==web");
        assertThat(s.toString()).isEqualTo("team=ml,env!=prod,gpu,!legacy,tier=web");
        assertThat(s.matches(Map.of("team", "ml", "env", "dev", "gpu", "", "tier", "web")))
                .isTrue();
        assertThat(s.matches(Map.of("team", "ml", "env", "prod", "gpu", "", "tier", "web")))
                .isFalse();
        assertThat(s.matches(Map.of("team", "ml", "gpu", "", "tier", "web", "legacy", "1")))
                .isFalse();
        assertThat(s.matches(Map.of("team", "ml", "tier", "web"))).isFalse();
        assertThat(LabelSelector.parse("selector", s.toString())).isEqualTo(s);
    }

    @Test
    void emptySelectsEverything() {
        assertThat(LabelSelector.parse("selector", null).matches(Map.of())).isTrue();
        assertThat(LabelSelector.parse("selector", "  ")).isEqualTo(LabelSelector.all());
        assertThat(LabelSelector.parse("selector", "team=").matches(Map.of("team", "")))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"team=ml,", ",team", "team=ml,,x", "=ml", "te am=ml", "team=m l", "!", "a=b=c", "team=\u001b[2J"
            })
    void badSelectorsAreValidationErrors(String text) {
        assertThatThrownBy(() -> LabelSelector.parse("selector", text))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.problem().errors().getFirst().field()).isEqualTo("selector"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContainPattern("\\p{Cc}"));
    }

    @Test
    void overlongSelectorsAreRefusedBeforeParsing() {
        assertThatThrownBy(() -> LabelSelector.parse("selector", "a=b,".repeat(10_000)))
                .hasMessageContaining("at most 1024");
    }
}

package dev.openshell.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceNamesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "a",
                "demo",
                "my-sandbox-2",
                "0",
                "a1b2",
                "123456789012345678901234567890123456789012345678901234567890123"
            })
    void validNames(String name) {
        assertThat(ResourceNames.violation(name)).isEmpty();
        assertThat(ResourceNames.require("name", name)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            ignoreLeadingAndTrailingWhitespace = false,
            value = {
                "Demo|'Demo' has upper-case letters; names are lower case",
                "-demo|'-demo' must start and end with a letter or digit",
                "demo-|'demo-' must start and end with a letter or digit",
                "de_mo|'de_mo' has '_' at position 3; use lower-case letters, digits and '-'",
                "de.mo|'de.mo' has '.' at position 3",
                "../etc|'../etc' has '.' at position 1",
                "a/b|'a/b' has '/' at position 2",
                "dеmo|'d\u0435mo' has '\u0435' at position 2", // Cyrillic e: a look-alike
                "demo |'demo ' has ' ' at position 5",
                "ⅾemo|has 'ⅾ' at position 1", // small roman numeral five hundred
            })
    void invalidNamesSayWhy(String name, String message) {
        assertThat(ResourceNames.violation(name))
                .hasValueSatisfying(m -> assertThat(m).contains(message));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\u0000", "a\u0000b", "a\nb", "\u001b[31mred", "\u202edemo", "dem\u200bo"})
    void controlAndInvisibleCharactersAreRefusedAndEscapedInTheMessage(String name) {
        assertThat(ResourceNames.violation(name))
                .hasValueSatisfying(m -> assertThat(m)
                        .doesNotContain("\u0000", "\n", "\u001b", "\u202e")
                        .doesNotContainPattern("[\\p{Cc}\\u202a-\\u202e\\u2066-\\u2069]"));
    }

    @org.junit.jupiter.api.Test
    void overlongNamesAreCutInTheMessage() {
        String name = "a".repeat(64);
        assertThat(ResourceNames.violation(name))
                .contains("'" + "a".repeat(64) + "' is 64 characters long; at most 63 are allowed");
        String huge = "b".repeat(1_000_000);
        assertThat(ResourceNames.violation(huge))
                .hasValueSatisfying(
                        m -> assertThat(m).hasSizeLessThan(200).contains("...").contains("1000000 characters"));
        assertThat(ResourceNames.violation(null)).contains("must not be empty");
    }

    @org.junit.jupiter.api.Test
    void requireThrowsAValidationProblemForTheField() {
        assertThatThrownBy(() -> ResourceNames.require("providers[0]", "Open AI"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
                    assertThat(e.problem().errors().getFirst().field()).isEqualTo("providers[0]");
                })
                .hasMessage("providers[0]: 'Open AI' has upper-case letters; names are lower case");
    }
}

package dev.openshell.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({
        "30s, PT30S",
        "5m, PT5M",
        "1h30m, PT1H30M",
        "30d, PT720H",
        "2w, PT336H",
        "250ms, PT0.25S",
        "1d2h3m4s5ms, PT26H3M4.005S",
        "3650d, PT87600H",
        "0d1s, PT1S"
    })
    void parses(String text, String iso) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(iso));
        assertThat(DurationText.violation(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            ignoreLeadingAndTrailingWhitespace = false,
            value = {
                "\"\"|must not be empty",
                "30|expected a unit (ms, s, m, h, d, w) at position 3",
                "s|expected a number at position 1",
                "30x|expected a unit",
                "-5m|expected a number at position 1",
                "+5m|expected a number at position 1",
                "5 m|expected a unit",
                " 5m|expected a number",
                "5M|expected a unit",
                "1.5h|expected a unit",
                "30m1h|units go from largest to smallest",
                "5m5m|units go from largest to smallest",
                "0s|must be longer than zero",
                "3651d|longer than the maximum of 3650d",
                "9999999999s|the number is too large",
                "999999999w|longer than the maximum",
                "٣٠s|expected a number", // Arabic-Indic digits pass Character.isDigit
                "３０s|expected a number", // full-width digits
                "1h\u0000|expected a number at position 3",
                "../5m|expected a number",
            })
    void refusesWithAReason(String text, String reason) {
        assertThat(DurationText.violation(text))
                .hasValueSatisfying(m -> assertThat(m).contains(reason).doesNotContainPattern("\\p{Cc}"));
    }

    @Test
    void overlongTextIsRefusedWithoutParsing() {
        assertThat(DurationText.violation("1".repeat(10_000) + "s"))
                .hasValueSatisfying(m ->
                        assertThat(m).contains("too long (10001 characters)").hasSizeLessThan(200));
    }

    @Test
    void parseForAFieldThrowsAValidationProblem() {
        assertThatThrownBy(() -> DurationText.parse("expires", "30days"))
                .isInstanceOf(ApiException.class)
                .hasMessage("expires: duration '30days': expected a number at position 4");
    }

    @ParameterizedTest
    @CsvSource({"PT30S, 30s", "PT90S, 1m30s", "PT720H, 30d", "PT0.25S, 250ms", "PT26H3M4.005S, 1d2h3m4s5ms"})
    void formatsTheShortestSpelling(String iso, String text) {
        assertThat(DurationText.format(Duration.parse(iso))).isEqualTo(text);
        assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void formatsWhatItCannotSpellAsIso() {
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("PT0S");
        assertThat(DurationText.format(Duration.ofSeconds(-5))).isEqualTo("PT-5S");
        assertThat(DurationText.format(Duration.ofNanos(1500))).isEqualTo("PT0.0000015S");
    }
}

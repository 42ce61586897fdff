package dev.openshell.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ViolationsTest {

    @Test
    void nothingToReportThrowsNothing() {
        new Violations().check("a", Optional.empty()).throwIfAny();
    }

    @Test
    void keepsAtMostTheLimitAndSaysHowManyMore() {
        Violations v = new Violations();
        for (int i = 0; i < 10_000; i++) {
            v.add("labels.k" + i, "bad");
        }
        assertThat(v.errors()).hasSize(Violations.LIMIT + 1);
        assertThat(v.errors().getLast().message()).isEqualTo("9950 more errors not listed");
        assertThatThrownBy(v::throwIfAny).isInstanceOf(ApiException.class).hasMessage("labels.k0: bad (and 50 more)");
    }
}

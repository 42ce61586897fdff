package dev.openshell.sandbox.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetRedactionTest {

    @Test
    void denialsShowThePathOnly() {
        assertThat(TargetRedaction.pathOnly("/plain")).isEqualTo("/plain");
        assertThat(TargetRedaction.pathOnly("/s?q=secret")).isEqualTo("/s");
    }
}

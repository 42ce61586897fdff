package dev.openshell.sandbox.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetRedactionTest {

    @Test
    void redactsEveryQueryValue() {
        assertThat(TargetRedaction.redact("/s?q=secret&token=abc&flag")).isEqualTo("/s?q=*&token=*&flag=*");
        assertThat(TargetRedaction.redact("/plain")).isEqualTo("/plain");
        assertThat(TargetRedaction.pathOnly("/s?q=secret")).isEqualTo("/s");
    }
}

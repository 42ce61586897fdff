package dev.openshell.sandbox.proxy.log;

import static dev.openshell.sandbox.proxy.log.QueryRedaction.redactQuery;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryRedactionTest {

    @Test
    void valuesBecomeStarsAndNamesStay() {
        assertThat(redactQuery("/search?q=secret&page=2&flag")).isEqualTo("/search?q=*&page=*&flag");
        assertThat(redactQuery("/v1?token=abc%3D%3D&token=x")).isEqualTo("/v1?token=*&token=*");
        assertThat(redactQuery("/a?x==y&&=z&")).isEqualTo("/a?x=*&&=*&");
        assertThat(redactQuery("/a?")).isEqualTo("/a?");
        assertThat(redactQuery("/a?k=")).isEqualTo("/a?k=*");
    }

    @Test
    void pathsWithoutAQueryAndNullAreUnchanged() {
        assertThat(redactQuery("/repos/openshell/issues")).isEqualTo("/repos/openshell/issues");
        assertThat(redactQuery(null)).isNull();
        assertThat(redactQuery("")).isEmpty();
    }

    @Test
    void absoluteFormTargetsAndFragmentsAreHandled() {
        assertThat(redactQuery("http://example.com/p?api_key=123")).isEqualTo("http://example.com/p?api_key=*");
        assertThat(redactQuery("/p?a=1#frag=2")).isEqualTo("/p?a=*");
    }
}

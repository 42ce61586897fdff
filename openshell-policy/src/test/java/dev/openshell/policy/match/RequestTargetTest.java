package dev.openshell.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTargetTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/repos/a%20b | /repos/a b",
                "/caf%C3%A9 | /café",
                "/a//b | /a//b",
                "/a%2Eb | /a.b",
                "/.well-known/x | /.well-known/x",
                "/a/...| /a/...",
                "/a+b | /a+b",
            })
    void decodesPaths(String target, String path) {
        RequestTarget t = RequestTarget.parse(target);
        assertThat(t.error()).isNull();
        assertThat(t.path()).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/a%2Fb | encoded slash in path",
                "/a%2fb | encoded slash in path",
                "/a%00b | encoded NUL in path",
                "/a/../b | dot-segment in path",
                "/a/%2e%2e/b | dot-segment in path",
                "/a/%2E | dot-segment in path",
                "/a/./b | dot-segment in path",
                "/.. | dot-segment in path",
                "/a%zz | invalid percent-encoding in path",
                "/a% | invalid percent-encoding in path",
                "/a%c3 | invalid percent-encoding in path",
                "* | request target must be a path",
                "http://x/y | request target must be a path",
                "'' | request target must be a path",
                "?x=1 | request target must be a path",
                "/a?x=%zz | invalid percent-encoding in query",
            })
    void rejects(String target, String error) {
        assertThat(RequestTarget.parse(target).error()).isEqualTo(error);
    }

    @Test
    void splitsAndDecodesTheQuery() {
        RequestTarget t = RequestTarget.parse("/s?q=a+b%2Bc&&flag&name=x%2Fy&q=2");
        assertThat(t.rawPath()).isEqualTo("/s");
        assertThat(t.queryCount()).isEqualTo(4);
        assertThat(t.queryName(0)).isEqualTo("q");
        assertThat(t.queryValue(0)).isEqualTo("a b+c");
        assertThat(t.queryName(1)).isEqualTo("flag");
        assertThat(t.queryValue(1)).isEmpty();
        assertThat(t.queryValue(2)).isEqualTo("x/y");
        assertThat(t.queryValue(3)).isEqualTo("2");
    }

    @Test
    void rawPathNeverIncludesTheQuery() {
        RequestTarget t = RequestTarget.parse("/a%2Fb?token=secret");
        assertThat(t.rawPath()).isEqualTo("/a%2Fb");
    }
}

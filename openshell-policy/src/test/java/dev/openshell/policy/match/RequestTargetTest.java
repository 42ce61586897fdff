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
                "/café | /café",
                "/a//b | /a//b",
                "/a%2Eb | /a.b",
                "/.well-known/x | /.well-known/x",
                "/a+b | /a+b",
                "/a;b=c/d | /a;b=c/d",
                "/a%3Bb | /a;b",
                "/%25 | /%",
                "/a%252e | /a%2e",
                "/~user | /~user",
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
                // unreserved characters are decoded, hex digits upper-cased, reserved ones stay encoded
                "/repos/a/b | /repos/a/b",
                "/%61dmin | /admin",
                "/%7Euser/%2d%2E%5F | /~user/-._",
                "/a%3bb%3Dc | /a%3Bb%3Dc",
                "/a;b=c | /a;b=c",
                "/a%2c%40%3a | /a%2C%40%3A",
                "/caf%c3%a9 | /caf%C3%A9",
                "/café | /caf%C3%A9",
                "/a%20b | /a%20b",
                "/a%25b | /a%25b",
                "/a%252e | /a%252e",
                "/a{c}^ | /a%7Bc%7D%5E",
                "/a\"b<c>`d | /a%22b%3Cc%3E%60d",
                "/s?q=a%20b&x | /s?q=a%20b&x",
                "/%73?%73=%73 | /s?%73=%73",
                "/a? | /a?",
            })
    void canonicalFormIsWhatIsForwarded(String target, String canonical) {
        RequestTarget t = RequestTarget.parse(target);
        assertThat(t.error()).isNull();
        assertThat(t.canonical()).isEqualTo(canonical);
        RequestTarget again = RequestTarget.parse(canonical);
        assertThat(again.canonical()).as("canonical form is a fixed point").isEqualTo(canonical);
        assertThat(again.path()).isEqualTo(t.path());
        assertThat(again.folded()).isEqualTo(t.folded());
    }

    @Test
    void aVerticalBarIsEscaped() {
        assertThat(RequestTarget.parse("/a|b").canonical()).isEqualTo("/a%7Cb");
    }

    @Test
    void aPlainTargetIsItsOwnCanonicalFormWithoutCopying() {
        String target = "/repos/octo/widgets?page=2";
        assertThat(RequestTarget.parse(target).canonical()).isSameAs(target);
        String path = "/repos/octo/widgets";
        RequestTarget t = RequestTarget.parse(path);
        assertThat(t.path()).isSameAs(path);
        assertThat(t.folded()).isSameAs(path);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/admin | /v1/admin",
                "/ | /",
                "/V1/Admin | /v1/admin",
                "/v1/%61dmin | /v1/admin",
                "/v1/%2561dmin | /v1/admin",
                "/v1//admin/ | /v1/admin",
                "/v1/admin;x=1/y;z | /v1/admin/y",
                "/v1/admin%3Bx/y | /v1/admin/y",
                "/;a/v1 | /v1",
                "/v1/admin. | /v1/admin",
                "/v1/admin%20%20 | /v1/admin",
                "/v1/admin.%20. | /v1/admin",
                "/v1/a.b | /v1/a.b",
                "/v1/%EF%BD%81dmin | /v1/admin",
                "/v1/adm%C4%B1n | /v1/admin",
                "/v1/%E2%84%AAey | /v1/key",
                "/v1/%C5%BFecret | /v1/secret",
                "/v1/admin%EF%BC%9Bx | /v1/admin",
                "/v1/admin%253Fx/y | /v1/admin",
                "/v1/admin%EF%BC%9Fx/y | /v1/admin",
                "/v1/%20/admin | /v1/admin",
                "/a/// | /a",
                "/;x | /",
                "/v1/admin::$DATA | /v1/admin",
                "/v1/admin:$i30:$INDEX_ALLOCATION/x | /v1/admin/x",
                "/v1/items:batchGet | /v1/items:batchget",
                "/v1/a$:b | /v1/a$:b",
            })
    void foldedFormIsWhatDenyRulesSee(String target, String folded) {
        RequestTarget t = RequestTarget.parse(target);
        assertThat(t.error()).isNull();
        assertThat(t.folded()).isEqualTo(folded);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/a%2Fb | encoded slash in path",
                "/a%2fb | encoded slash in path",
                "/a%5Cb | backslash in path",
                "/a\\b | backslash in path",
                "/a%3Fb | encoded ? or # in path",
                "/a%23b | encoded ? or # in path",
                "/a#b | fragment in request target",
                "/a?x=1#b | fragment in request target",
                "/a%00b | control character in path",
                "/a%0Ab | control character in path",
                "/a%7F | control character in path",
                "/a%C2%9F | control character in path",
                "/a%2500 | control character in path",
                "/a/../b | dot-segment in path",
                "/a/%2e%2e/b | dot-segment in path",
                "/a/%2E | dot-segment in path",
                "/a/./b | dot-segment in path",
                "/.. | dot-segment in path",
                "/a/... | dot-segment in path",
                "/a/..;x/b | dot-segment in path",
                "/a/.%20/b | dot-segment in path",
                "/a/%252e%252e/b | dot-segment in path",
                "/a/%EF%BC%8E%EF%BC%8E/b | dot-segment in path",
                "/a%252Fb | slash or backslash hidden by double encoding or a compatibility character",
                "/a%255Cb | slash or backslash hidden by double encoding or a compatibility character",
                "/a%EF%BC%8Fb | slash or backslash hidden by double encoding or a compatibility character",
                "/a%25252525252Fb | too many layers of percent-encoding in path",
                "//a | path starts with //",
                "/a%zz | invalid percent-encoding in path",
                "/a% | invalid percent-encoding in path",
                "/a%4 | invalid percent-encoding in path",
                "/a%c3 | invalid UTF-8 in path",
                "/a%c0%af | invalid UTF-8 in path",
                "/a%ed%a0%80 | invalid UTF-8 in path",
                "/a%25c0%25af | invalid UTF-8 in path",
                "* | request target must be a path",
                "http://x/y | request target must be a path",
                "'' | request target must be a path",
                "?x=1 | request target must be a path",
                "/a?x=%zz | invalid percent-encoding in query",
            })
    void rejects(String target, String error) {
        RequestTarget t = RequestTarget.parse(target);
        assertThat(t.error()).isEqualTo(error);
        assertThat(t.path()).isNull();
        assertThat(t.canonical()).isNull();
        assertThat(t.folded()).isNull();
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
    void rawPathNeverIncludesTheQueryOrFragment() {
        assertThat(RequestTarget.parse("/a%2Fb?token=secret").rawPath()).isEqualTo("/a%2Fb");
        assertThat(RequestTarget.parse("/a#token=secret").rawPath()).isEqualTo("/a");
    }

    @Test
    void canonicalPathLeavesOutTheQuery() {
        RequestTarget t = RequestTarget.parse("/%61?token=secret");
        assertThat(t.canonicalPath()).isEqualTo("/a");
        assertThat(t.canonical()).isEqualTo("/a?token=secret");
    }
}

package dev.openshell.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathGlobTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/repos | /repos | true",
                "/repos | /repos/ | false",
                "/repos | /Repos | false",
                "/repos/* | /repos/a | true",
                "/repos/* | /repos/ | true",
                "/repos/* | /repos/a/b | false",
                "/repos/*/issues | /repos/x/issues | true",
                "/repos/*/issues | /repos/x/y/issues | false",
                "/a/** | /a | true",
                "/a/** | /a/ | true",
                "/a/** | /a/b/c | true",
                "/a/** | /ab | false",
                "/a/**/b | /a/b | true",
                "/a/**/b | /a/x/y/b | true",
                "/a/**/b | /a/xb | false",
                "/a** | /a/b/c | true",
                "/a**z | /a/b/z | true",
                "** | '' | true",
                "** | /anything/at/all | true",
                "/** | / | true",
                "/f?o | /foo | true",
                "/f?o | /f/o | false",
                "/f?o | /fo | false",
                "/[abc] | /b | true",
                "/[abc] | /d | false",
                "/[a-c]x | /bx | true",
                "/[!a-c] | /d | true",
                "/[!a-c] | /a | false",
                "/[^a] | /b | true",
                "/x[!a]y | /x/y | false",
                "/x[/]y | /x/y | false",
                "/[]] | /] | true",
                "/[a-] | /- | true",
                "/[ | /[ | true",
                "/a\\*b | /a*b | true",
                "/a\\*b | /axb | false",
                "/a\\?b | /a?b | true",
                "/a\\[b] | /a[b] | true",
                "/v1/*.json | /v1/x.json | true",
                "/v1/*.json | /v1/a/x.json | false",
            })
    void pathSemantics(String glob, String input, boolean expected) {
        assertThat(PathGlob.compile(glob).matches(input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "*.tar.gz | dir/x.tar.gz | true",
                "? | / | true",
                "[!a] | / | true",
                "a*b | a/x/b | true",
                "release-[0-9]* | release-1 | true",
                "release-[0-9]* | release-x | false",
            })
    void querySemanticsTreatSlashAsOrdinary(String glob, String input, boolean expected) {
        assertThat(PathGlob.forQuery(glob).matches(input)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void pathologicalGlobsStayFast() {
        PathGlob g = PathGlob.compile("/" + "*a".repeat(30) + "b");
        String input = "/" + "a".repeat(5000);
        long start = System.nanoTime();
        assertThat(g.matches(input)).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @org.junit.jupiter.api.Test
    void literalGlobIsRecognised() {
        assertThat(PathGlob.compile("/usr/bin/gh").isLiteral()).isTrue();
        assertThat(PathGlob.compile("/usr/bin/\\*").isLiteral()).isTrue();
        assertThat(PathGlob.compile("/usr/bin/*").isLiteral()).isFalse();
    }
}

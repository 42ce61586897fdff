package dev.openshell.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Deny globs compiled for folded paths ({@link PathGlob#forFoldedPaths}): the pattern is folded
 * like a request path (case, empty segments, trailing slash, trailing dots and blanks), classes
 * ignore case, and a segment that is a lone {@code *} may match no segment at all, because the
 * empty segment it covers in the exact path disappears from the folded one.
 */
class FoldedPathGlobTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/admin/** | /v1/admin | true",
                "/v1/admin/** | /v1/admin/x | true",
                "/v1/admin/** | /v1/administrator | false",
                "/V1/Admin/** | /v1/admin/x | true",
                "/v1//admin/ | /v1/admin | true",
                "/v1/admin. | /v1/admin | true",
                "/v1/admin%20 | /v1/admin%20 | true",
                "/v1/a.b | /v1/a.b | true",
                "/repos/*/rulesets | /repos/x/rulesets | true",
                "/repos/*/rulesets | /repos/rulesets | true",
                "/repos/*/rulesets | /repos/x/y/rulesets | false",
                "/a/* | /a | true",
                "/a/* | /a/b | true",
                "/a/* | /a/b/c | false",
                "/* | / | true",
                "/a/*x | /a | false",
                "/a/*x | /a/x | true",
                "/[A-C]dmin | /admin | true",
                "/[A-C]dmin | /ddmin | false",
                "/[!a]x | /ax | true",
                "/[!a]x | /bx | true",
                "/?dmin | /admin | true",
                "/x\\*y | /x*y | true",
                "/x\\*y | /xay | false",
                "/ | / | true",
                "/** | /anything | true",
                "/v1/adm;x | /v1/adm | true",
            })
    void matchesFoldedPaths(String pattern, String folded, boolean expected) {
        assertThat(PathGlob.forFoldedPaths(pattern).matches(folded)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/v1/admin/** | /v1/admin/**",
                "/V1//Admin/ | /v1/admin",
                "/a./b%20c | /a/b%20c",
                "/A\\*B | /a\\*b",
                "/[A-Z]X | /[A-Z]x",
                "/a;b/c | /a/c",
                "//// | /",
                "/A::$DATA/b | /a/b",
                "/a:b | /a:b",
            })
    void foldsThePatternText(String pattern, String folded) {
        assertThat(GlobFold.path(pattern)).isEqualTo(folded);
    }
}

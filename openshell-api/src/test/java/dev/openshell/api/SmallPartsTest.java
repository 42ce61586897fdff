package dev.openshell.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.auth.ApiToken;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.decision.DecisionQuery;
import dev.openshell.api.decision.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SafeText, ApiHeaders, ApiPaths, Scope, Page, DecisionQuery. */
class SmallPartsTest {

    @Test
    void safeTextEscapesWhatCouldHurtATerminalAndCuts() {
        assertThat(SafeText.oneLine("a\u001b[31mb\nc\u0085d\u202ee\u2066f\u200eg\ud800h", 100))
                .isEqualTo("a\\u001b[31mb\\u000ac\\u0085d\\u202ee\\u2066f\\u200eg\\ud800h");
        assertThat(SafeText.oneLine("héllo wörld ✓ 😀", 100)).isEqualTo("héllo wörld ✓ 😀");
        assertThat(SafeText.oneLine("😀".repeat(5), 3)).isEqualTo("😀😀😀...");
        assertThat(SafeText.quote(null)).isEqualTo("null");
        assertThat(SafeText.quote("x".repeat(100))).hasSize(SafeText.QUOTE_LIMIT + 5);
    }

    @Test
    void entityTagsQuoteResourceVersions() {
        assertThat(ApiHeaders.entityTag("42")).isEqualTo("\"42\"");
        assertThat(ApiHeaders.resourceVersion("\"42\"")).contains("42");
        assertThat(ApiHeaders.resourceVersion(" \"42\" ")).contains("42");
        assertThat(ApiHeaders.resourceVersion("*")).isEmpty();
        assertThat(ApiHeaders.resourceVersion("W/\"42\"")).isEmpty();
        assertThat(ApiHeaders.resourceVersion("\"4\"2\"")).isEmpty();
        assertThat(ApiHeaders.resourceVersion("\"\"")).isEmpty();
        assertThat(ApiHeaders.resourceVersion(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a\r\nX-Evil: 1", "é", "\"", "a\u0000"})
    void headerValuesThatCouldSplitOrConfuseAHeaderAreRefused(String value) {
        assertThat(ApiHeaders.idempotencyKeyViolation(value)).isPresent();
        assertThatThrownBy(() -> ApiHeaders.entityTag(value)).isInstanceOf(ApiException.class);
    }

    @Test
    void idempotencyKeysAreBounded() {
        assertThat(ApiHeaders.idempotencyKeyViolation("k".repeat(255))).isEmpty();
        assertThat(ApiHeaders.idempotencyKeyViolation("k".repeat(256))).isPresent();
        assertThat(ApiHeaders.idempotencyKeyViolation("7c4a8d09-ca37-4f2e-9d2b-0e6b1a1b3c5d"))
                .isEmpty();
    }

    @Test
    void pathsEncodeNamesAsOneSegment() {
        assertThat(ApiPaths.sandbox("demo")).isEqualTo("/api/v1/sandboxes/demo");
        assertThat(ApiPaths.policyRevision("demo", 3)).isEqualTo("/api/v1/sandboxes/demo/policy/revisions/3");
        assertThat(ApiPaths.sandbox("a/b?c#d e")).isEqualTo("/api/v1/sandboxes/a%2Fb%3Fc%23d%20e");
        assertThat(ApiPaths.provider("é")).isEqualTo("/api/v1/providers/%C3%A9");
        assertThat(ApiPaths.token("..x")).isEqualTo("/api/v1/tokens/..x");
        for (String bad : new String[] {"", ".", ".."}) {
            assertThatThrownBy(() -> ApiPaths.sandbox(bad)).isInstanceOf(ApiException.class);
        }
        assertThatThrownBy(() -> ApiPaths.sandbox(null)).isInstanceOf(ApiException.class);
    }

    @Test
    void scopesSpellAndCover() {
        assertThat(Scope.SANDBOX_READ.wire()).isEqualTo("sandbox:read");
        assertThat(Scope.TOKEN_ADMIN.wire()).isEqualTo("token:admin");
        assertThat(Scope.ADMIN.wire()).isEqualTo("admin");
        assertThat(Scope.parse("policy:write")).isEqualTo(Scope.POLICY_WRITE);
        assertThat(Scope.POLICY_WRITE.covers(Scope.POLICY_READ)).isTrue();
        assertThat(Scope.POLICY_READ.covers(Scope.POLICY_WRITE)).isFalse();
        assertThat(Scope.SANDBOX_WRITE.covers(Scope.SANDBOX_EXEC)).isFalse();
        assertThat(Scope.SANDBOX_WRITE.covers(Scope.POLICY_READ)).isFalse();
        assertThat(Scope.ADMIN.covers(Scope.TOKEN_ADMIN)).isTrue();
        assertThat(Scope.TOKEN_ADMIN.covers(Scope.ADMIN)).isFalse();
        for (String bad : new String[] {"Sandbox:read", "sandbox:*", "*", "sandbox_read", "", "sandbox:read "}) {
            assertThatThrownBy(() -> Scope.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("known scopes: sandbox:read, sandbox:write");
        }
    }

    @Test
    void tokensKnowWhenTheyAreValid() {
        Instant now = Instant.parse("2026-01-10T00:00:00Z");
        assertThat(Samples.TOKEN.isValidAt(now)).isTrue();
        assertThat(Samples.TOKEN.isValidAt(Samples.TOKEN.expiresAt())).isFalse();
        ApiToken revoked = new ApiToken("t", null, List.of(Scope.ADMIN), now, null, null, now);
        assertThat(revoked.isValidAt(now.plusSeconds(1))).isFalse();
    }

    @Test
    void pagesDropEmptyTokens() {
        assertThat(new Page<>(null, "").hasNext()).isFalse();
        assertThat(new Page<>(List.of(1), "t").hasNext()).isTrue();
        assertThat(Page.last(List.of(1)).nextPageToken()).isNull();
    }

    @Test
    void decisionQueriesBecomeQueryParameters() {
        assertThat(DecisionQuery.forSandbox("demo")
                        .withVerdict(Verdict.DENY)
                        .withSince(Duration.ofMinutes(5))
                        .toQuery())
                .containsExactly(
                        java.util.Map.entry("sandbox", "demo"),
                        java.util.Map.entry("verdict", "deny"),
                        java.util.Map.entry("since", "5m"));
        assertThat(DecisionQuery.ALL.toQuery()).isEmpty();
    }
}

package dev.openshell.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.inference.InferenceCost;
import dev.openshell.api.inference.InferenceRoute;
import dev.openshell.api.policy.EndpointAccess;
import dev.openshell.api.policy.EndpointProtocol;
import dev.openshell.api.policy.PolicyOperation;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.PolicyUpdateRequest;
import dev.openshell.api.provider.ProviderRequest;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.ResourceLimits;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code validate()} of every request: the samples pass, hostile input fails naming the field. */
class RequestValidationTest {

    @Test
    void theSamplesAreValid() {
        Samples.SANDBOX_CREATE.validate();
        Samples.EXEC.validate();
        Samples.POLICY_SET.validate();
        Samples.POLICY_UPDATE.validate();
        Samples.PROVIDER_REQUEST.validate();
        Samples.ROUTE.validate();
        Samples.TOKEN_CREATE.validate();
        SandboxCreateRequest.of(null, List.of()).validate(); // everything defaulted, name generated
    }

    @Test
    void sandboxCreateListsEveryBadField() {
        var request = new SandboxCreateRequest(
                "Demo",
                List.of("", "a\u0000b"),
                Map.of("1BAD", "x", "OK", "nul\u0000"),
                Map.of("bad key", "v"),
                "   ",
                List.of("openai", "openai", "Bad"),
                "-rm -rf /",
                new ResourceLimits(1L, Double.NaN, 0),
                null);
        assertThatThrownBy(request::validate).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(e.problem().errors())
                    .extracting(FieldError::field)
                    .containsExactlyInAnyOrder(
                            "name",
                            "command[1]",
                            "command[0]",
                            "env.1BAD",
                            "env.OK",
                            "labels.bad key",
                            "policy",
                            "providers[1]",
                            "providers[2]",
                            "image",
                            "resources.memory_bytes",
                            "resources.cpus",
                            "resources.pids");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"--privileged", "img name", "img\nname", "ubuntu;rm", "../../etc/passwd", "ｕbuntu", "é"})
    void imageReferencesStaySafe(String image) {
        assertFieldInvalid(
                () -> new SandboxCreateRequest(null, null, null, null, null, null, image, null, null).validate(),
                "image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ubuntu", "openshell/sandbox:1.0", "registry:5000/team/agent@sha256:abc123", "a.b-c_d+e"})
    void imageReferencesThatPass(String image) {
        new SandboxCreateRequest(null, null, null, null, null, null, image, null, null).validate();
    }

    @Test
    void limitsHaveRanges() {
        assertFieldInvalid(() -> create(new ResourceLimits(1L << 41, null, null)), "resources.memory_bytes");
        assertFieldInvalid(() -> create(new ResourceLimits(null, Double.POSITIVE_INFINITY, null)), "resources.cpus");
        assertFieldInvalid(() -> create(new ResourceLimits(null, 0.001, null)), "resources.cpus");
        assertFieldInvalid(() -> create(new ResourceLimits(null, null, -1)), "resources.pids");
        create(new ResourceLimits(ResourceLimits.MIN_MEMORY, ResourceLimits.MAX_CPUS, ResourceLimits.MAX_PIDS));
    }

    @Test
    void execNeedsACommand() {
        assertFieldInvalid(() -> ExecRequest.of(List.of()).validate(), "command");
        assertFieldInvalid(() -> ExecRequest.of(List.of("")).validate(), "command[0]");
        assertFieldInvalid(
                () -> new ExecRequest(List.of("cat"), "x".repeat(ExecRequest.MAX_STDIN + 1), null).validate(), "stdin");
        assertFieldInvalid(
                () -> ExecRequest.of(Collections.nCopies(SandboxCreateRequest.MAX_ARGS + 1, "a"))
                        .validate(),
                "command");
    }

    @Test
    void policySetNeedsAPolicy() {
        assertFieldInvalid(() -> new PolicySetRequest(null).validate(), "policy");
        assertFieldInvalid(() -> new PolicySetRequest("\n\t ").validate(), "policy");
        assertFieldInvalid(() -> new PolicySetRequest("version: 1\u0000").validate(), "policy");
    }

    @Test
    void policyUpdateOperationsAreCheckedForShape() {
        assertFieldInvalid(() -> new PolicyUpdateRequest(List.of()).validate(), "operations");
        assertFieldInvalid(() -> update(new PolicyOperation.RemoveEndpoint("a.com", 0)), "operations[0].port");
        assertFieldInvalid(() -> update(new PolicyOperation.RemoveEndpoint("a.com", 65536)), "operations[0].port");
        assertFieldInvalid(() -> update(new PolicyOperation.RemoveEndpoint("", 80)), "operations[0].host");
        assertFieldInvalid(() -> update(new PolicyOperation.RemoveEndpoint("a.com/../x", 80)), "operations[0].host");
        assertFieldInvalid(
                () -> update(new PolicyOperation.RemoveEndpoint("a.com\r\nHost: b", 80)), "operations[0].host");
        assertFieldInvalid(
                () -> update(new PolicyOperation.AddEndpoint(
                        null, "a.com", 443, EndpointAccess.FULL, EndpointProtocol.L4, List.of())),
                "operations[0].access");
        assertFieldInvalid(
                () -> update(new PolicyOperation.AddEndpoint(null, "a.com", 443, null, null, List.of("usr/bin/curl"))),
                "operations[0].binaries[0]");
        assertFieldInvalid(
                () -> update(new PolicyOperation.AddAllow("a.com", 443, null, "GET", "/")), "operations[0].binary");
        assertFieldInvalid(
                () -> update(new PolicyOperation.AddAllow("a.com", 443, "/bin/x", "get", "/")), "operations[0].method");
        assertFieldInvalid(
                () -> update(new PolicyOperation.AddDeny("a.com", 443, null, "GET", "repos")), "operations[0].path");
        assertFieldInvalid(
                () -> update(new PolicyOperation.AddDeny("a.com", 443, null, "G\u0000T", "/")), "operations[0].method");
        update(new PolicyOperation.AddDeny("a.com", 443, null, "*", "/**"));
        assertFieldInvalid(
                () -> new PolicyUpdateRequest(
                                Collections.nCopies(PolicyUpdateRequest.MAX_OPERATIONS + 1, Samples.REMOVE_ENDPOINT))
                        .validate(),
                "operations");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://api.example.com",
                "https://user:pass@api.example.com",
                "https://api.example.com/?key=sk-123",
                "https://api.example.com/#frag",
                "https:///path",
                "api.example.com",
                "https://exa mple.com",
                "javascript:alert(1)",
                "file:///etc/passwd"
            })
    void providerBaseUrlsMustBePlainHttpUrls(String url) {
        assertFieldInvalid(
                () -> new ProviderRequest("p", "openai", url, null, Map.of("K", "v")).validate(), "base_url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk-abc\r\nX-Evil: 1", "sk\u0000abc", "sk-\u00e9", "", "sk\tabc", "sk\u2028abc"})
    void credentialValuesAreOneLineOfAscii(String value) {
        assertFieldInvalid(
                () -> new ProviderRequest("p", "openai", null, null, Map.of("KEY", value)).validate(),
                "credentials.KEY");
    }

    @Test
    void providersNeedANameTypeAndCredentials() {
        assertThatThrownBy(() -> new ProviderRequest(null, null, null, null, null).validate())
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.problem().errors())
                                .extracting(FieldError::field)
                                .containsExactly("name", "type", "credentials"));
        assertFieldInvalid(
                () -> new ProviderRequest("p", "openai", null, null, Map.of("bad-name", "v")).validate(),
                "credentials.bad-name");
    }

    @Test
    void inferenceRoutesAreChecked() {
        assertFieldInvalid(() -> new InferenceRoute("r", "p", null, null, null, null).validate(), "model");
        assertFieldInvalid(() -> new InferenceRoute("r", "p", "gpt\n4", null, null, null).validate(), "model");
        assertFieldInvalid(() -> new InferenceRoute("R", "p", "m", null, null, null).validate(), "name");
        assertFieldInvalid(
                () -> new InferenceRoute("r", "p", "m", null, null, new InferenceCost(new BigDecimal("-1"), null))
                        .validate(),
                "cost.input_per_million_tokens");
        // a huge exponent is refused cheaply and never expanded
        var hostile = new InferenceCost(null, new BigDecimal("1e999999999"));
        assertFieldInvalid(
                () -> new InferenceRoute("r", "p", "m", null, null, hostile).validate(),
                "cost.output_per_million_tokens");
        assertThat(new InferenceCost(new BigDecimal("10.00"), new BigDecimal("2.50")))
                .isEqualTo(new InferenceCost(BigDecimal.TEN, new BigDecimal("2.5")));
    }

    @Test
    void tokensNeedScopesAndAFiniteLife() {
        assertFieldInvalid(() -> new ApiTokenCreateRequest(null, List.of(), null).validate(), "scopes");
        assertFieldInvalid(
                () -> new ApiTokenCreateRequest(null, List.of(Scope.ADMIN, Scope.ADMIN), null).validate(), "scopes[1]");
        assertFieldInvalid(
                () -> new ApiTokenCreateRequest(null, List.of(Scope.ADMIN), Duration.ofDays(366)).validate(),
                "expires_in");
        assertThat(new ApiTokenCreateRequest(null, List.of(Scope.ADMIN), null).effectiveLifetime())
                .isEqualTo(Duration.ofDays(30));
    }

    private static void create(ResourceLimits limits) {
        new SandboxCreateRequest(null, null, null, null, null, null, null, limits, null).validate();
    }

    private static void update(PolicyOperation op) {
        new PolicyUpdateRequest(List.of(op)).validate();
    }

    private static void assertFieldInvalid(ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(e.problem().errors()).extracting(FieldError::field).contains(field);
            assertThat(e.getMessage()).doesNotContainPattern("[\\p{Cc}\\u2028]");
        });
    }
}

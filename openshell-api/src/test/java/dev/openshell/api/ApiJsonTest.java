package dev.openshell.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.inference.InferenceRoute;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.json.JsonProblems;
import dev.openshell.api.policy.PolicyUpdateRequest;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.sandbox.SandboxPhase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;

class ApiJsonTest {

    @Test
    void writesSnakeCaseIsoTimesCompactDurationsAndNoNulls() {
        String json = ApiJson.strict().writeValueAsString(new ExecRequest(List.of("ls"), null, Duration.ofMinutes(90)));
        assertThat(json).isEqualTo("{\"command\":[\"ls\"],\"timeout\":\"1h30m\"}");
        String sandbox = ApiJson.lenient().writeValueAsString(Samples.SANDBOX);
        assertThat(sandbox)
                .contains("\"created_at\":\"2026-01-02T03:04:05Z\"", "\"ready_at\":\"2026-01-02T03:04:07.250Z\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"nmae\":\"demo\"}", "{\"name\":\"demo\",\"labels\":{},\"extra\":1}"})
    void strictRejectsUnknownFieldsWithASuggestion(String body) {
        assertThatThrownBy(() -> ApiJson.readRequest(body, SandboxCreateRequest.class))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FIELD);
                    assertThat(e.problem().status()).isEqualTo(400);
                    assertThat(e.problem().errors()).hasSize(1);
                });
        assertThatThrownBy(() -> ApiJson.readRequest("{\"nmae\":\"demo\"}", SandboxCreateRequest.class))
                .hasMessage("nmae: unknown field 'nmae'; did you mean 'name'?");
    }

    @Test
    void strictRejectsUnknownFieldsInNestedObjectsAndPolymorphicOperations() {
        assertThatThrownBy(() -> ApiJson.readRequest("{\"resources\":{\"memory\":5}}", SandboxCreateRequest.class))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FIELD))
                .hasMessageStartingWith("resources.memory: unknown field 'memory'");
        String op = "{\"operations\":[{\"op\":\"remove_endpoint\",\"host\":\"a.com\",\"port\":1,\"hots\":\"x\"}]}";
        assertThatThrownBy(() -> ApiJson.readRequest(op, PolicyUpdateRequest.class))
                .hasMessageStartingWith("operations[0].hots: unknown field 'hots'; did you mean 'host'?");
    }

    @Test
    void lenientIgnoresUnknownFieldsAndUnknownEnumValues() {
        String newer = "{\"name\":\"demo\",\"phase\":\"Hibernating\",\"gpu\":{\"count\":1},\"labels\":{\"a\":\"b\"}}";
        Sandbox sandbox = ApiJson.lenient().readValue(newer, Sandbox.class);
        assertThat(sandbox.name()).isEqualTo("demo");
        assertThat(sandbox.phase()).isNull();
        assertThat(sandbox.labels()).isEqualTo(Map.of("a", "b"));
        assertThatThrownBy(() -> ApiJson.strict().readValue(newer, Sandbox.class))
                .isInstanceOf(JacksonException.class);
    }

    @Test
    void lenientReadsAProblemWithAnUnknownCodeAndFallsBackToItsStatus() {
        Problem p = ApiJson.lenient()
                .readValue(
                        "{\"status\":409,\"code\":\"quota_exceeded\",\"detail\":\"x\",\"trace\":\"y\"}", Problem.class);
        assertThat(p.code()).isNull();
        assertThat(p.effectiveCode()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(p.errors()).isEmpty();
    }

    @Test
    void unknownScopesFromANewerGatewayAreDroppedNotFatal() {
        var token = ApiJson.lenient()
                .readValue(
                        "{\"id\":\"t\",\"scopes\":[\"sandbox:read\",\"gpu:write\"]}",
                        dev.openshell.api.auth.ApiToken.class);
        assertThat(token.scopes()).containsExactly(dev.openshell.api.auth.Scope.SANDBOX_READ);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\":\"a\",\"name\":\"b\"}", // duplicate key: a proxy and the gateway could see different names
                "{\"name\":\"a\"} {\"name\":\"b\"}", // trailing data
                "{\"name\":\"a\"", // truncated
                "{name:\"a\"}", // not JSON
                "{\"name\":\"a\",}", // trailing comma
            })
    void strictRejectsMalformedOrAmbiguousJsonAsBadRequest(String body) {
        assertThatThrownBy(() -> ApiJson.readRequest(body, SandboxCreateRequest.class))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isIn(ErrorCode.BAD_REQUEST, ErrorCode.VALIDATION_FAILED);
                    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("dev.openshell");
                });
    }

    @Test
    void duplicateKeysAreBadRequestWithTheirPosition() {
        assertThatThrownBy(() -> ApiJson.readRequest("{\"name\":\"a\",\n\"name\":\"b\"}", SandboxCreateRequest.class))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining("line 2")
                .hasMessageContaining("name");
    }

    @Test
    void strictRefusesTypeCoercion() {
        // "443" for a port, 1.5 for an integer, 1 for a boolean, an enum by index
        assertInvalid(
                "{\"operations\":[{\"op\":\"remove_endpoint\",\"host\":\"a.com\",\"port\":\"443\"}]}",
                PolicyUpdateRequest.class,
                "operations[0].port",
                "an integer");
        assertInvalid("{\"resources\":{\"pids\":1.5}}", SandboxCreateRequest.class, "resources.pids", "an integer");
        assertInvalid("{\"wait\":1}", SandboxCreateRequest.class, "wait", "true or false");
        assertInvalid("{\"scopes\":[0]}", ApiTokenCreateRequest.class, "scopes[0]", "");
        assertInvalid("{\"command\":\"ls\"}", SandboxCreateRequest.class, "command", "an array");
        assertInvalid("{\"labels\":[]}", SandboxCreateRequest.class, "labels", "an object");
    }

    @Test
    void unknownEnumValuesNameTheKnownOnes() {
        assertInvalid(
                "{\"scopes\":[\"sandbox:raed\"]}",
                ApiTokenCreateRequest.class,
                "scopes[0]",
                "'sandbox:raed' is not one of sandbox:read, sandbox:write");
        assertInvalid(
                "{\"name\":\"r\",\"privacy\":\"public\"}",
                InferenceRoute.class,
                "privacy",
                "'public' is not one of local, any");
    }

    @Test
    void unknownPolicyOperationIsAValidationError() {
        assertInvalid(
                "{\"operations\":[{\"op\":\"drop_table\",\"host\":\"a\"}]}",
                PolicyUpdateRequest.class,
                "operations[0]",
                "unknown type 'drop_table'");
    }

    @Test
    void nullsInMapsAndListsAreValidationErrors() {
        assertInvalid("{\"labels\":{\"team\":null}}", SandboxCreateRequest.class, "labels.team", "is null");
        assertInvalid("{\"command\":[\"ls\",null]}", SandboxCreateRequest.class, "command[1]", "is null");
        assertInvalid(
                "{\"operations\":[{\"op\":\"add_endpoint\",\"host\":\"a\",\"port\":1,\"binaries\":[null]}]}",
                PolicyUpdateRequest.class,
                "operations[0].binaries[0]",
                "is null");
    }

    @Test
    void durationsAreValidatedWhileReading() {
        assertInvalid(
                "{\"command\":[\"ls\"],\"timeout\":\"30x\"}",
                ExecRequest.class,
                "timeout",
                "duration '30x': expected a unit (ms, s, m, h, d, w) at position 3");
        // a '%' in the value must not be read as a format directive
        assertInvalid("{\"command\":[\"ls\"],\"timeout\":\"%s%n\"}", ExecRequest.class, "timeout", "'%s%n'");
        assertInvalid("{\"command\":[\"ls\"],\"timeout\":\"PT-5S\"}", ExecRequest.class, "timeout", "longer than zero");
        assertInvalid("{\"command\":[\"ls\"],\"timeout\":30}", ExecRequest.class, "timeout", "");
        assertThat(ApiJson.readRequest("{\"command\":[\"ls\"],\"timeout\":\"PT2M\"}", ExecRequest.class)
                        .timeout())
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void instantsMustBeIso8601() {
        assertThatThrownBy(() -> ApiJson.strict().readValue("{\"time\":\"yesterday\"}", DecisionRecord.class))
                .isInstanceOf(JacksonException.class);
        assertThat(ApiJson.lenient()
                        .readValue("{\"time\":\"2026-01-02T03:04:05Z\",\"generation\":7}", DecisionRecord.class))
                .satisfies(d -> {
                    assertThat(d.time()).isEqualTo(Samples.CREATED);
                    assertThat(d.policyRevision())
                            .as("the proxy's log name is read too")
                            .isEqualTo(7);
                });
    }

    @Test
    void deepNestingAndHugeStringsArePayloadTooLarge() {
        String deep = "[".repeat(ApiJson.MAX_REQUEST_DEPTH + 1) + "]".repeat(ApiJson.MAX_REQUEST_DEPTH + 1);
        assertThatThrownBy(() -> ApiJson.strict().readTree(deep))
                .isInstanceOfSatisfying(
                        JacksonException.class,
                        e -> assertThat(JsonProblems.of(e).code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
        String allowed = "[".repeat(ApiJson.MAX_REQUEST_DEPTH) + "]".repeat(ApiJson.MAX_REQUEST_DEPTH);
        assertThat(ApiJson.strict().readTree(allowed).isArray()).isTrue();
        String huge = "{\"policy\":\"" + "a".repeat(ApiJson.MAX_REQUEST_STRING + 1) + "\"}";
        assertThatThrownBy(() -> ApiJson.readRequest(huge, SandboxCreateRequest.class))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PAYLOAD_TOO_LARGE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "null"})
    void emptyBodiesAreBadRequest(String body) {
        assertThatThrownBy(() -> ApiJson.readRequest(body, SandboxCreateRequest.class))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void hostileFieldNamesAreQuotedSafely() {
        String body = "{\"na\\u001b[31mme\\n\":1}";
        assertThatThrownBy(() -> ApiJson.readRequest(body, SandboxCreateRequest.class))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.getMessage())
                                .doesNotContain("\u001b")
                                .doesNotContain("\n")
                                .contains("\\u001b"));
    }

    @Test
    void phasesUseTheirCapitalisedNames() {
        assertThat(ApiJson.strict().writeValueAsString(SandboxPhase.PROVISIONING))
                .isEqualTo("\"Provisioning\"");
        assertThat(ApiJson.strict().readValue("\"Deleting\"", SandboxPhase.class))
                .isEqualTo(SandboxPhase.DELETING);
        assertThatThrownBy(() -> ApiJson.strict().readValue("\"ready\"", SandboxPhase.class))
                .isInstanceOf(JacksonException.class);
    }

    private static void assertInvalid(String body, Class<?> type, String field, String messagePart) {
        assertThatThrownBy(() -> ApiJson.readRequest(body, type)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.VALIDATION_FAILED);
            assertThat(e.problem().errors()).hasSize(1);
            assertThat(e.problem().errors().getFirst().field()).isEqualTo(field);
            assertThat(e.problem().errors().getFirst().message()).contains(messagePart);
            assertThat(e.getMessage()).doesNotContain("dev.openshell").doesNotContain("java.");
        });
    }
}

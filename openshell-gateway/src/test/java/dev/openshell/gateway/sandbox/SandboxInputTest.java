package dev.openshell.gateway.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openshell.gateway.support.ApiTestSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

/** Hostile and malformed input on the sandbox API: always a 4xx problem naming what is wrong, never a 5xx. */
class SandboxInputTest extends ApiTestSupport {

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("{\"nmae\":\"x\"}", 400, "unknown_field"),
                Arguments.of("{\"name\":\"Bad_Name\"}", 400, "validation_failed"),
                Arguments.of("{\"name\":\"../etc\"}", 400, "validation_failed"),
                Arguments.of("{\"name\":\"a\\u0000b\"}", 400, "validation_failed"),
                Arguments.of("{\"name\":\"" + "a".repeat(64) + "\"}", 400, "validation_failed"),
                Arguments.of("{\"name\":{}}", 400, "validation_failed"),
                Arguments.of("{\"command\":\"sh\"}", 400, "validation_failed"),
                Arguments.of("{\"command\":[null]}", 400, "validation_failed"),
                Arguments.of("{\"wait\":\"yes\"}", 400, "validation_failed"),
                Arguments.of("{\"resources\":{\"pids\":0}}", 400, "validation_failed"),
                Arguments.of("{\"env\":{\"1BAD\":\"x\"}}", 400, "validation_failed"),
                Arguments.of("{\"labels\":{\"bad key!\":\"x\"}}", 400, "validation_failed"),
                Arguments.of("{\"image\":\"--privileged\"}", 400, "validation_failed"),
                Arguments.of("{\"providers\":[\"no-such-provider\"]}", 400, "validation_failed"),
                Arguments.of("{\"policy\":\"version: 2\\n\"}", 400, "policy_invalid"),
                Arguments.of("{\"policy\":\"[unclosed\"}", 400, "policy_invalid"),
                Arguments.of("{\"name\":\"x\",\"name\":\"y\"}", 400, "bad_request"),
                Arguments.of("{\"name\":\"x\"} trailing", 400, "bad_request"),
                Arguments.of("{", 400, "bad_request"),
                Arguments.of("[]", 400, "validation_failed"),
                Arguments.of("null", 400, "bad_request"),
                Arguments.of("", 400, "bad_request"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badBodiesAreProblems(String body, int status, String code) throws Exception {
        var answer = mvc.perform(post("/api/v1/sandboxes")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().is(status))
                .andExpect(jsonPath("$.code").value(code))
                .andReturn();
        assertThat(answer.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(answer.getResponse().getContentAsString())
                .doesNotContain("Exception")
                .doesNotContain("dev.openshell")
                .doesNotContain("tools.jackson");
    }

    @Test
    void anInvalidPolicyNamesItsLines() throws Exception {
        mvc.perform(
                        post("/api/v1/sandboxes")
                                .with(operator())
                                .contentType(MediaType.APPLICATION_JSON)
                                .content(
                                        "{\"policy\":\"version: 1\\nnetwork_policies:\\n  x:\\n    endpoints:\\n      - host: '*'\\n        port: 99999\\n\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("policy_invalid"))
                .andExpect(jsonPath("$.errors[0].field")
                        .value(org.hamcrest.Matchers.startsWith("policy.network_policies")))
                .andExpect(jsonPath("$.errors[0].message").value(org.hamcrest.Matchers.startsWith("line ")));
    }

    @Test
    void anOversizedBodyIs413WhetherDeclaredOrChunked() throws Exception {
        String big = "{\"name\":\"x\",\"policy\":\"" + "a".repeat(70_000) + "\"}";
        mvc.perform(post("/api/v1/sandboxes")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(big))
                .andExpect(status().is(413))
                .andExpect(jsonPath("$.code").value("payload_too_large"));
        // No Content-Length: counted while read.
        mvc.perform(post("/api/v1/sandboxes")
                        .with(operator())
                        .with(request -> {
                            request.removeHeader("Content-Length");
                            return request;
                        })
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(big))
                .andExpect(status().is(413));
    }

    @Test
    void aBodyThatIsNotJsonIs415() throws Exception {
        mvc.perform(post("/api/v1/sandboxes")
                        .with(operator())
                        .contentType(MediaType.TEXT_PLAIN)
                        .content("name=x"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.code").value("unsupported_media_type"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"Bad", "a_b", "-lead", "trail-", "%2e%2e", "a%00b", "%C3%A9t%C3%A9", "x%20y", "..", "a%2Fb"})
    void namesInPathsThatAreNotDnsLabelsAre400(String name) throws Exception {
        mvc.perform(get("/api/v1/sandboxes/{name}", name).with(operator()))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"))
                .andExpect(jsonPath("$.errors[0].field").value("name"));
        // The same, percent-encoded on the wire: still a 4xx problem (never a 5xx, never a lookup).
        var raw = mvc.perform(
                        get(java.net.URI.create("/api/v1/sandboxes/" + name)).with(operator()))
                .andExpect(status().is4xxClientError())
                .andReturn();
        assertThat(raw.getResponse().getContentType()).isEqualTo("application/problem+json");
    }
}

package dev.openshell.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.gateway.auth.AuthenticationFilter;
import dev.openshell.gateway.auth.Unauthenticated;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.policy.PolicyParser;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A {@code @WebMvcTest} slice of the error mapping alone: the strict JSON converter, the body
 * limit and {@link ProblemAdvice}, behind a controller that fails on purpose in every way the
 * gateway's controllers can.
 */
@WebMvcTest(
        controllers = ProblemAdviceWebMvcTest.Failing.class,
        excludeFilters = @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = AuthenticationFilter.class))
@Import({ProblemAdviceWebMvcTest.Failing.class, JsonConfig.class, ProblemAdvice.class, BodyLimitFilter.class})
@EnableConfigurationProperties(GatewayProperties.class)
@TestPropertySource(
        properties = {
            "openshell.gateway.data-dir=/nonexistent/openshell-slice",
            "openshell.gateway.limits.max-request-bytes=1024"
        })
class ProblemAdviceWebMvcTest {

    @RestController
    static class Failing {
        @Unauthenticated
        @GetMapping("/fail/unexpected")
        String unexpected() {
            throw new IllegalStateException("secret internals at dev.openshell.Something");
        }

        @Unauthenticated
        @GetMapping("/fail/api")
        String api() {
            throw new ApiException(ErrorCode.CONFLICT, "it changed");
        }

        @Unauthenticated
        @GetMapping("/fail/policy")
        String policy() {
            PolicyParser.parse("version: 2\n");
            return "unreachable";
        }

        @Unauthenticated
        @GetMapping("/fail/database")
        String database() {
            throw new CannotGetJdbcConnectionException("connection refused to db.internal:5432");
        }

        @Unauthenticated
        @GetMapping("/fail/number")
        String number(@RequestParam int n) {
            return Integer.toString(n);
        }

        @Unauthenticated
        @PostMapping("/fail/body")
        String body(@RequestBody SandboxCreateRequest request) {
            return request.toString();
        }
    }

    @Autowired
    MockMvc mvc;

    @Test
    void anUnexpectedFailureIs500WithAReferenceAndNoInternals() throws Exception {
        String body = mvc.perform(get("/fail/unexpected"))
                .andExpect(status().isInternalServerError())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.code").value("internal"))
                .andExpect(jsonPath("$.type").value("urn:openshell:problem:internal"))
                .andExpect(jsonPath("$.instance").value("/fail/unexpected"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(body)
                .doesNotContain("secret internals")
                .doesNotContain("IllegalState")
                .contains("reference ");
    }

    @Test
    void typedErrorsKeepTheirCodeAndStatus() throws Exception {
        mvc.perform(get("/fail/api"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("conflict"))
                .andExpect(jsonPath("$.title").value("Conflict"))
                .andExpect(jsonPath("$.detail").value("it changed"));
        mvc.perform(get("/fail/policy"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("policy_invalid"))
                .andExpect(jsonPath("$.errors[0].field").value(org.hamcrest.Matchers.startsWith("policy")));
    }

    @Test
    void anUnreachableDatabaseIs503WithRetryAfterAndNoAddress() throws Exception {
        String body = mvc.perform(get("/fail/database"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "2"))
                .andExpect(jsonPath("$.code").value("unavailable"))
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(body).doesNotContain("db.internal");
    }

    @Test
    void badParametersAndBodiesAre400() throws Exception {
        mvc.perform(get("/fail/number?n=abc"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("n"));
        mvc.perform(get("/fail/number"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("n"));
        mvc.perform(post("/fail/body").contentType(MediaType.APPLICATION_JSON).content("{\"comand\":[\"sh\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("unknown_field"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("did you mean 'command'")));
        mvc.perform(post("/fail/body")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + "x".repeat(2000) + "\"}"))
                .andExpect(status().is(413));
        mvc.perform(post("/fail/body").contentType(MediaType.APPLICATION_XML).content("<x/>"))
                .andExpect(status().isUnsupportedMediaType());
        mvc.perform(get("/fail/body"))
                .andExpect(status().isMethodNotAllowed())
                .andExpect(header().string("Allow", "POST"));
    }
}

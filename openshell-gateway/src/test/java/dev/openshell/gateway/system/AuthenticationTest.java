package dev.openshell.gateway.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.openshell.api.Page;
import dev.openshell.api.auth.ApiToken;
import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.ApiTokenCreated;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.json.ApiJson;
import dev.openshell.gateway.support.ApiTestSupport;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

class AuthenticationTest extends ApiTestSupport {

    @ParameterizedTest
    @ValueSource(
            strings = {"/api/v1/sandboxes", "/api/v1/no-such-thing", "/api/v1/tokens", "/metrics", "/openapi.json", "/"
            })
    void withoutCredentialsEveryPathIsTheSame401(String path) throws Exception {
        mvc.perform(get(path))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(header().exists("WWW-Authenticate"))
                .andExpect(jsonPath("$.code").value("unauthorized"))
                .andExpect(
                        jsonPath("$.detail")
                                .value(
                                        "authentication required: present the gateway's client certificate or a valid API token"));
    }

    @Test
    void probesAreOpenAndSayNothingElse() throws Exception {
        mvc.perform(get("/healthz"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ok"));
        String ready = mvc.perform(get("/readyz"))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(ready).isEqualTo("{\"status\":\"ready\"}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer osh_nope",
                "Bearer ",
                "Basic dXNlcjpwYXNz",
                "Bearer osh_" + "x",
                "bearer",
                "Bearer \u0000"
            })
    void badTokensAre401(String authorization) throws Exception {
        mvc.perform(get("/api/v1/sandboxes").header("Authorization", authorization))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("unauthorized"));
    }

    @Test
    void aHugeAuthorizationHeaderIs401NotAnError() throws Exception {
        mvc.perform(get("/api/v1/sandboxes").header("Authorization", "Bearer osh_" + "a".repeat(10_000)))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void aCertificateFromAnotherCaIsNotTheOperator() throws Exception {
        mvc.perform(get("/api/v1/sandboxes").with(foreignCertificate()))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("unauthorized"));
    }

    @Test
    void theServersOwnCertificateIsNotAClientCertificate() throws Exception {
        var server = tls.credentials().server().certificate();
        mvc.perform(get("/api/v1/sandboxes").with(request -> {
                    request.setAttribute(
                            "jakarta.servlet.request.X509Certificate",
                            new java.security.cert.X509Certificate[] {server});
                    return request;
                }))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void scopesLimitWhatATokenMayDo() throws Exception {
        String reader = token(Scope.SANDBOX_READ);
        mvc.perform(get("/api/v1/sandboxes").with(bearer(reader))).andExpect(status().isOk());
        mvc.perform(post("/api/v1/sandboxes")
                        .with(bearer(reader))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"command\":[\"true\"]}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.code").value("forbidden"))
                .andExpect(jsonPath("$.detail").value("this needs the scope sandbox:write"));
        mvc.perform(get("/api/v1/providers").with(bearer(reader))).andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/decisions").with(bearer(reader))).andExpect(status().isForbidden());

        String writer = token(Scope.SANDBOX_WRITE);
        mvc.perform(get("/api/v1/sandboxes").with(bearer(writer))).andExpect(status().isOk()); // write covers read

        String admin = token(Scope.ADMIN);
        mvc.perform(get("/api/v1/providers").with(bearer(admin))).andExpect(status().isOk());
    }

    @Test
    void tokensCannotManageTokensEvenWithAdminScope() throws Exception {
        String admin = token(Scope.ADMIN, Scope.TOKEN_ADMIN);
        mvc.perform(get("/api/v1/tokens").with(bearer(admin)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.code").value("forbidden"));
        mvc.perform(post("/api/v1/tokens")
                        .with(bearer(admin))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"scopes\":[\"admin\"]}"))
                .andExpect(status().isForbidden());
    }

    @Test
    void anExpiredTokenSaysSo() throws Exception {
        String secret = token(Duration.ofSeconds(1), Scope.SANDBOX_READ);
        mvc.perform(get("/api/v1/sandboxes").with(bearer(secret))).andExpect(status().isOk());
        await(
                Duration.ofSeconds(5),
                () -> mvc.perform(get("/api/v1/sandboxes").with(bearer(secret)))
                        .andExpect(status().isUnauthorized())
                        .andExpect(jsonPath("$.code").value("token_expired")));
    }

    @Test
    void aRevokedTokenIsRefusedAndRevokingIsIdempotent() throws Exception {
        var created = ApiJson.lenient()
                .readValue(
                        mvc.perform(post("/api/v1/tokens")
                                        .with(operator())
                                        .contentType(MediaType.APPLICATION_JSON)
                                        .content(json(new ApiTokenCreateRequest(
                                                "ci-job", List.of(Scope.SANDBOX_READ), Duration.ofDays(1)))))
                                .andExpect(status().isCreated())
                                .andReturn()
                                .getResponse()
                                .getContentAsByteArray(),
                        ApiTokenCreated.class);
        assertThat(created.secret()).startsWith("osh_").hasSizeGreaterThan(40);
        mvc.perform(get("/api/v1/sandboxes").with(bearer(created.secret()))).andExpect(status().isOk());

        String listed = mvc.perform(
                        get("/api/v1/tokens/" + created.token().id()).with(operator()))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(listed).doesNotContain(created.secret()).contains("\"last_used_at\"");

        mvc.perform(delete("/api/v1/tokens/" + created.token().id()).with(operator()))
                .andExpect(jsonPath("$.result").value("deleted"));
        mvc.perform(delete("/api/v1/tokens/" + created.token().id()).with(operator()))
                .andExpect(jsonPath("$.result").value("already_absent"));
        mvc.perform(get("/api/v1/sandboxes").with(bearer(created.secret())))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("unauthorized"));
    }

    @Test
    void tokenListsPageAndNeverShowSecrets() throws Exception {
        token(Scope.SANDBOX_READ);
        token(Scope.SANDBOX_READ);
        var page = mvc.perform(get("/api/v1/tokens?page_size=1").with(operator()))
                .andExpect(status().isOk())
                .andReturn();
        Page<?> first = read(page, Page.class);
        assertThat(first.items()).hasSize(1);
        assertThat(first.nextPageToken()).isNotNull();
        assertThat(page.getResponse().getContentAsString())
                .doesNotContain("osh_")
                .doesNotContain("secret");
        mvc.perform(get("/api/v1/tokens?page_size=1&page_token=" + first.nextPageToken())
                        .with(operator()))
                .andExpect(status().isOk());
        assertThat(ApiToken.class).isNotNull();
    }

    @Test
    void theTokenRequestIsValidated() throws Exception {
        mvc.perform(post("/api/v1/tokens")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"scopes\":[\"root\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("validation_failed"));
        mvc.perform(post("/api/v1/tokens")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"scopes\":[\"admin\"],\"expires_in\":\"400d\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("expires_in"));
    }

    @Test
    void metricsAndTheOpenApiDocumentNeedACaller() throws Exception {
        String any = token(Scope.SANDBOX_READ);
        String metrics = mvc.perform(get("/metrics").with(bearer(any)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(metrics).contains("openshell_sandboxes").contains("openshell_decisions_total");
        String openapi = mvc.perform(get("/openapi.json").with(bearer(any)))
                .andExpect(status().isOk())
                .andReturn()
                .getResponse()
                .getContentAsString();
        assertThat(openapi).contains("/api/v1/sandboxes").contains("resource_version");
    }
}

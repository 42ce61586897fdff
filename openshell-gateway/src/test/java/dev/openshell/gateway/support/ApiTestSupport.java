package dev.openshell.gateway.support;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.ApiTokenCreated;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.json.ApiJson;
import dev.openshell.gateway.auth.GatewayTls;
import dev.openshell.gateway.testdriver.ProcessTestDriver;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The base of the in-process API tests: the whole gateway (real SQLite file, real services, the
 * process test driver) behind MockMvc, one Spring context shared by every test class. Requests
 * carry the operator's real client certificate as the TLS layer would hand it over, or a real
 * bearer token made through the API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@AutoConfigureMockMvc
public abstract class ApiTestSupport {

    protected static final Path DATA_DIR = TempDirs.create("openshell-gateway-test");

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected GatewayTls tls;

    @Autowired
    protected ProcessTestDriver driver;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("openshell.gateway.data-dir", DATA_DIR::toString);
        registry.add("openshell.gateway.driver", () -> ProcessTestDriver.NAME);
        registry.add("openshell.gateway.limits.max-request-bytes", () -> "65536");
        registry.add("openshell.gateway.limits.decisions-per-sandbox", () -> "50");
        registry.add("openshell.gateway.limits.log-lines-per-sandbox", () -> "50");
        registry.add("openshell.gateway.limits.policy-wait-timeout", () -> "10s");
    }

    /** The operator: the gateway's own client certificate. */
    protected RequestPostProcessor operator() {
        X509Certificate cert = tls.credentials().client().certificate();
        return request -> {
            request.setAttribute("jakarta.servlet.request.X509Certificate", new X509Certificate[] {cert});
            return request;
        };
    }

    /** A client certificate the TLS layer would hand over although the gateway's CA did not issue it. */
    protected RequestPostProcessor foreignCertificate() {
        X509Certificate foreign = new dev.openshell.bootstrap.pki.CertificateBuilder()
                .commonName("openshell-cli")
                .clientAuth()
                .buildIssuedBy(new dev.openshell.bootstrap.pki.CertificateBuilder()
                        .commonName("OpenShell gateway CA")
                        .ca()
                        .buildSelfSigned())
                .certificate();
        return request -> {
            request.setAttribute("jakarta.servlet.request.X509Certificate", new X509Certificate[] {foreign});
            return request;
        };
    }

    protected static RequestPostProcessor bearer(String secret) {
        return request -> {
            request.addHeader("Authorization", "Bearer " + secret);
            return request;
        };
    }

    /** A new API token with {@code scopes}, made through the admin API. */
    protected String token(Scope... scopes) throws Exception {
        return token(Duration.ofHours(1), scopes);
    }

    protected String token(Duration lifetime, Scope... scopes) throws Exception {
        MvcResult result = mvc.perform(post("/api/v1/tokens")
                        .with(operator())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(json(new ApiTokenCreateRequest(null, List.of(scopes), lifetime))))
                .andReturn();
        return read(result, ApiTokenCreated.class).secret();
    }

    protected static String json(Object value) {
        return ApiJson.strict().writeValueAsString(value);
    }

    protected static <T> T read(MvcResult result, Class<T> type) throws Exception {
        return ApiJson.lenient().readValue(result.getResponse().getContentAsByteArray(), type);
    }

    protected static void await(Duration timeout, org.awaitility.core.ThrowingRunnable assertion) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).untilAsserted(assertion);
    }
}

package dev.openshell.sandbox.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.Verdict;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request that names another method through an override header or {@code _method} parameter is
 * decided under that method too, and a denial under either wins: otherwise {@code POST} plus
 * {@code X-HTTP-Method-Override: DELETE} passes a deny rule for {@code DELETE}.
 */
class RequestOverridesTest {

    private static final CompiledPolicy POLICY = PolicyEngine.compile(PolicyParser.parse("""
            version: 1
            network_policies:
              api:
                endpoints:
                  - host: api.example.com
                    port: 443
                    protocol: rest
                    access: full
                    deny_rules:
                      - {method: DELETE, path: "/v1/items/*"}
                  - host: ro.example.com
                    port: 443
                    protocol: rest
                    access: read-only
                  - host: rw.example.com
                    port: 443
                    protocol: rest
                    access: read-write
                binaries: [/usr/bin/curl]
            """));

    private static L4Request connection(String host) {
        return new L4Request("/usr/bin/curl", List.of(), host, 443, List.of(InetAddress.ofLiteral("93.184.216.34")));
    }

    private static HttpRequest request(HttpMethod method, String uri, String header, String value) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (header != null) {
            r.headers().add(header, value);
        }
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override", "x-http-method-override"})
    void anOverrideHeaderIsDecidedAsTheMethodItNames(String header) {
        Decision d = RequestOverrides.evaluate(
                POLICY, connection("api.example.com"), request(HttpMethod.POST, "/v1/items/1", header, "delete"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("deny_rules[0]");
        assertThat(d.reason())
                .contains("DELETE /v1/items/1 on api.example.com:443 is denied")
                .contains("the request is POST /v1/items/1 but its X-")
                .contains("header names DELETE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"_method=DELETE", "x=1&_METHOD=delete", "%5Fmethod=DELETE", "_%6Dethod=%44ELETE"})
    void theMethodQueryParameterToo(String query) {
        Decision d = RequestOverrides.evaluate(
                POLICY, connection("api.example.com"), request(HttpMethod.POST, "/v1/items/1?" + query, null, null));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("deny_rules[0]");
    }

    @Test
    void everyNamedMethodCounts() {
        HttpRequest r = request(HttpMethod.POST, "/v1/items/1", "X-HTTP-Method-Override", "PATCH");
        r.headers().add("X-Method-Override", "PUT, DELETE");
        assertThat(RequestOverrides.evaluate(POLICY, connection("api.example.com"), r)
                        .verdict())
                .isEqualTo(Verdict.DENY);
    }

    @Test
    void aLowerCaseOverrideIsReadAsTheUpperCaseMethod() {
        Decision d = RequestOverrides.evaluate(
                POLICY, connection("rw.example.com"), request(HttpMethod.POST, "/x?_method=patch", null, null));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void anOverrideAnEndpointAllowsIsAllowed() {
        Decision d = RequestOverrides.evaluate(
                POLICY,
                connection("api.example.com"),
                request(HttpMethod.POST, "/v1/items/1", "X-HTTP-Method-Override", "PATCH"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.reason()).contains("POST /v1/items/1");
    }

    @Test
    void aReadOnlyEndpointDoesNotLetAGetBecomeAWrite() {
        Decision d = RequestOverrides.evaluate(
                POLICY, connection("ro.example.com"), request(HttpMethod.GET, "/x", "X-HTTP-Method-Override", "PUT"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("access: read-only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Original-URL", "X-Rewrite-URL", "x-original-url"})
    void aPathOverrideHeaderIsDecidedAsThePathItNames(String header) {
        Decision d = RequestOverrides.evaluate(
                POLICY,
                connection("api.example.com"),
                request(HttpMethod.DELETE, "/v1/ok?token=secret", header, "/V1/Items/7?token=secret"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("deny_rules[0]");
        assertThat(d.reason())
                .contains("the request is DELETE /v1/ok but its X-")
                .contains("header names /V1/Items/7)")
                .doesNotContain("secret");
    }

    @Test
    void anAmbiguousPathInAnOverrideHeaderIsDenied() {
        Decision d = RequestOverrides.evaluate(
                POLICY,
                connection("api.example.com"),
                request(HttpMethod.GET, "/v1/ok", "X-Original-URL", "/v1/x/%2e%2e/items/7"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).contains("dot-segment in path");
    }

    @Test
    void aMethodAndAPathOverrideTogether() {
        HttpRequest r = request(HttpMethod.POST, "/v1/ok", "X-Original-URL", "/v1/items/7");
        r.headers().add("X-HTTP-Method-Override", "DELETE");
        Decision d = RequestOverrides.evaluate(POLICY, connection("api.example.com"), r);
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).contains("names DELETE and its X-Original-URL header names /v1/items/7");
    }

    @Test
    void aPathOverrideAnEndpointAllowsIsAllowed() {
        Decision d = RequestOverrides.evaluate(
                POLICY, connection("api.example.com"), request(HttpMethod.DELETE, "/v1/ok", "X-Original-URL", "/v1/x"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void withoutAnOverrideTheRequestIsDecidedOnce() {
        Decision d = RequestOverrides.evaluate(
                POLICY,
                connection("api.example.com"),
                request(HttpMethod.POST, "/v1/items/1?method=DELETE", null, null));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
    }
}

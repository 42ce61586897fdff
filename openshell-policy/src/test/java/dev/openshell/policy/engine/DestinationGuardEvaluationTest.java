package dev.openshell.policy.engine;

import static dev.openshell.policy.engine.TestPolicies.ep;
import static dev.openshell.policy.engine.TestPolicies.l4;
import static dev.openshell.policy.engine.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DestinationGuardEvaluationTest {

    private static final String BIN = "/usr/bin/curl";

    private final CompiledPolicy p = PolicyEngine.compile(policy().network(
                    "web", List.of(BIN), ep("api.example.com", 443), ep("127.0.0.1", 8080), ep("localhost", 80))
            .network("internal", List.of(BIN), ep("git.corp.example", 443).allowedIps("10.0.0.0/8", "fd00::/8"))
            .network("db", List.of(BIN), ep(null, 5432).allowedIps("10.20.0.0/16"))
            .build());

    @ParameterizedTest(name = "{1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "api.example.com | 127.0.0.1 | api.example.com resolves to 127.0.0.1, a loopback address, which is never"
                        + " allowed",
                "api.example.com | ::1 | api.example.com resolves to ::1, a loopback address",
                "api.example.com | ::ffff:127.0.0.1 | resolves to 127.0.0.1, a loopback address",
                "api.example.com | 64:ff9b::7f00:1 | resolves to 64:ff9b::7f00:1 (127.0.0.1), a loopback address",
                "api.example.com | 169.254.169.254 | resolves to 169.254.169.254, a link-local (cloud metadata) address,"
                        + " which is never allowed",
                "api.example.com | fe80::1 | a link-local (cloud metadata) address",
                "api.example.com | 100.100.100.200 | a cloud metadata address",
                "api.example.com | fd00:ec2::254 | a cloud metadata address",
                "api.example.com | 0.0.0.0 | an unspecified address",
                "api.example.com | :: | an unspecified address",
                "api.example.com | 224.0.0.251 | a multicast address",
                "api.example.com | 255.255.255.255 | a broadcast address",
                "git.corp.example | 127.0.0.1 | a loopback address",
            })
    void alwaysDeniedAddressesAreRefusedBeforeAnyPolicy(String host, String address, String reason) {
        Decision d = p.evaluate(l4(BIN, host, 443, "140.82.112.3", address));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("destination-guard");
        assertThat(d.reason()).contains(reason);
        assertThat(d.suggestion()).isEmpty();
    }

    @Test
    void aLiteralHostIsItsOwnAddressEvenWithAnEndpointForIt() {
        Decision d = p.evaluate(l4(BIN, "127.0.0.1", 8080));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).isEqualTo("127.0.0.1 resolves to 127.0.0.1, a loopback address, which is never allowed");
        assertThat(p.evaluate(l4(BIN, "0x7f.1", 8080)).rule()).contains("destination-guard");
        assertThat(p.evaluate(l4(BIN, "[::ffff:127.0.0.1]", 8080)).rule()).contains("destination-guard");
    }

    @Test
    void privateAddressesNeedAllowedIps() {
        Decision d = p.evaluate(l4(BIN, "api.example.com", 443, "10.1.2.3"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("destination-guard");
        assertThat(d.policy()).contains("web");
        assertThat(d.reason())
                .isEqualTo("api.example.com resolves to 10.1.2.3, a private address not listed in allowed_ips of"
                        + " policy web");
        assertThat(d.suggestion()).isEmpty();
    }

    @Test
    void allowedIpsLiftThePrivateRangeGuard() {
        assertThat(p.evaluate(l4(BIN, "git.corp.example", 443, "10.9.9.9")).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(BIN, "git.corp.example", 443, "::ffff:10.9.9.9"))
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(BIN, "git.corp.example", 443, "fd12::1")).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(BIN, "git.corp.example", 443, "10.9.9.9", "140.82.112.3"))
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
        Decision outside = p.evaluate(l4(BIN, "git.corp.example", 443, "10.9.9.9", "192.168.1.1"));
        assertThat(outside.verdict()).isEqualTo(Verdict.DENY);
        assertThat(outside.reason())
                .contains("192.168.1.1, a private address not listed in allowed_ips of policy" + " internal");
    }

    @Test
    void publicAddressesAndUnknownAddressesPass() {
        assertThat(p.evaluate(l4(BIN, "api.example.com", 443, "140.82.112.3")).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(BIN, "api.example.com", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        // Offline check: no addresses known, so even "localhost" is matched by name only.
        assertThat(p.evaluate(l4(BIN, "localhost", 80)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(BIN, "localhost", 80, "127.0.0.1")).verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void endpointsWithoutHostMatchByAddressAlone() {
        Decision d = p.evaluate(l4(BIN, "pg.internal", 5432, "10.20.1.5"));
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.policy()).contains("db");
        assertThat(p.evaluate(l4(BIN, "10.20.1.5", 5432)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(p.evaluate(l4(BIN, "pg.internal", 5432, "10.20.1.5", "10.21.0.1"))
                        .verdict())
                .isEqualTo(Verdict.DENY);
        assertThat(p.evaluate(l4(BIN, "pg.internal", 5432)).verdict()).isEqualTo(Verdict.DENY);
        assertThat(p.evaluate(l4(BIN, "pg.internal", 5433, "10.20.1.5")).reason())
                .isEqualTo("no policy allows connections to pg.internal:5433");
    }
}

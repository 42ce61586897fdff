package dev.openshell.policy;

import static dev.openshell.policy.PolicyErrors.assertError;
import static dev.openshell.policy.PolicyErrors.errors;
import static dev.openshell.policy.PolicyErrors.only;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.BinaryRef;
import dev.openshell.policy.model.Endpoint;
import dev.openshell.policy.model.Enforcement;
import dev.openshell.policy.model.HttpRule;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.model.Protocol;
import dev.openshell.policy.model.RequestLimits;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code request_limits} of an endpoint: parsing, validation, canonical YAML, diffs and updates. */
class RequestLimitsTest {

    private static final String E = "network_policies.p.endpoints[0]";

    /** Policy {@code p} with one REST endpoint whose {@code request_limits} line is {@code limits} (line 9). */
    private static String withLimits(String limits) {
        return """
                version: 1
                network_policies:
                  p:
                    endpoints:
                      - host: api.example.com
                        port: 443
                        protocol: rest
                        access: read-only
                        %s
                    binaries: [/usr/bin/curl]
                """.formatted(limits);
    }

    private static Endpoint endpoint(Policy p) {
        return p.networkPolicies().get("p").endpoints().getFirst();
    }

    @Test
    void limitsAreReadAndUnsetOnesStayUnbounded() {
        Endpoint e = endpoint(
                PolicyParser.parse(withLimits("request_limits: {max_url_bytes: 2048, max_header_bytes: 4096}")));
        assertThat(e.requestLimits()).isEqualTo(new RequestLimits(2048, null, 4096));

        Endpoint none = endpoint(PolicyParser.parse(withLimits("")));
        assertThat(none.requestLimits()).isSameAs(RequestLimits.NONE);
        assertThat(endpoint(PolicyParser.parse(withLimits("request_limits: {max_query_bytes: 0}")))
                        .requestLimits())
                .isEqualTo(new RequestLimits(null, 0, null));
    }

    @Test
    void outOfRangeValuesAreReportedWhereTheyAre() {
        assertError(
                only(withLimits("request_limits: {max_url_bytes: 0}")),
                E + ".request_limits.max_url_bytes",
                9,
                41,
                "0 is out of range; expected 1..1048576 bytes (the shortest URL, `/`, is 1 byte)");
        assertError(
                only(withLimits("request_limits: {max_query_bytes: -1}")),
                E + ".request_limits.max_query_bytes",
                9,
                43,
                "-1 is out of range; expected 0..1048576 bytes");
        assertError(
                only(withLimits("request_limits: {max_header_bytes: 2000000}")),
                E + ".request_limits.max_header_bytes",
                9,
                44,
                "2000000 is out of range; expected 1..1048576 bytes");
        assertError(
                only(withLimits("request_limits: {max_url_bytes: \"2k\"}")),
                E + ".request_limits.max_url_bytes",
                9,
                41,
                "expected an integer, got a string");
    }

    @Test
    void unknownKeysEmptyMappingsAndWrongTypesAreRejected() {
        assertError(
                only(withLimits("request_limits: {max_urls: 10}")),
                E + ".request_limits.max_urls",
                9,
                26,
                "unknown key `max_urls`; expected one of max_url_bytes, max_query_bytes, max_header_bytes");
        assertError(
                only(withLimits("request_limits: {}")),
                E + ".request_limits",
                9,
                25,
                "`request_limits: {}` sets no limit; remove the key or set max_url_bytes, max_query_bytes or"
                        + " max_header_bytes");
        assertError(
                only(withLimits("request_limits: 1024")),
                E + ".request_limits",
                9,
                25,
                "expected a mapping with max_url_bytes, max_query_bytes, max_header_bytes, got an integer");
    }

    @Test
    void limitsNeedARestEndpoint() {
        String yaml = """
                version: 1
                network_policies:
                  p:
                    endpoints:
                      - host: db.example.com
                        port: 5432
                        request_limits: {max_url_bytes: 100}
                    binaries: [/usr/bin/psql]
                """;
        assertError(
                only(yaml),
                E + ".request_limits",
                7,
                25,
                "`request_limits` needs `protocol: rest` (only inspected requests are measured)");
    }

    @Test
    void aPolicyBuiltInCodeIsValidatedToo() {
        Endpoint bad = new Endpoint(
                "api.example.com",
                List.of(443),
                Protocol.REST,
                Enforcement.ENFORCE,
                Access.FULL,
                List.of(),
                List.of(),
                List.of(),
                new RequestLimits(0, -5, null));
        Policy p = Policy.denyAll()
                .withNetworkPolicies(java.util.Map.of(
                        "p", new NetworkPolicy("p", null, List.of(bad), List.of(new BinaryRef("/usr/bin/curl")))));
        assertThat(errors(() -> PolicyParser.validate(p)))
                .extracting(PolicyError::message)
                .anySatisfy(m -> assertThat(m).startsWith("0 is out of range"))
                .anySatisfy(m -> assertThat(m).startsWith("-5 is out of range"));
    }

    @Test
    void canonicalYamlWritesTheSetLimitsInSchemaOrderAndRoundTrips() {
        Policy p = PolicyParser.parse(
                withLimits("request_limits: {max_header_bytes: 4096, max_query_bytes: 0, max_url_bytes: 2048}"));
        String yaml = PolicyYaml.write(p);
        assertThat(yaml).contains("""
                        access: read-only
                        request_limits:
                          max_url_bytes: 2048
                          max_query_bytes: 0
                          max_header_bytes: 4096
                """);
        assertThat(PolicyParser.parse(yaml)).isEqualTo(p);
        assertThat(PolicyYaml.write(PolicyParser.parse(withLimits("")))).doesNotContain("request_limits");
    }

    @Test
    void aChangedLimitIsAChangedEndpointInTheDiff() {
        Policy before = PolicyParser.parse(withLimits("request_limits: {max_url_bytes: 2048}"));
        Policy after = PolicyParser.parse(withLimits("request_limits: {max_url_bytes: 1024, max_header_bytes: 512}"));

        PolicyDiff diff = PolicyDiff.between(before, after);

        assertThat(diff.dynamicChanges())
                .containsExactly(new PolicyDiff.Change(
                        "network_policies.p.endpoints",
                        PolicyDiff.Kind.CHANGED,
                        "api.example.com:443 rest read-only request_limits[max_url_bytes=2048]",
                        "api.example.com:443 rest read-only request_limits[max_url_bytes=1024, max_header_bytes=512]"));
        assertThat(PolicyDiff.between(before, PolicyParser.parse(withLimits("")))
                        .render())
                .contains("request_limits[max_url_bytes=2048] -> api.example.com:443 rest read-only\n");
    }

    @Test
    void updatesKeepTheLimitsOfTheEndpointsTheyChange() {
        Policy p = PolicyParser.parse(withLimits("request_limits: {max_query_bytes: 10}"));

        Policy denied =
                PolicyUpdates.apply(p, List.of(PolicyUpdates.parseAddDeny("api.example.com:443 GET /admin/**", null)));
        Policy widened = PolicyUpdates.apply(
                p, List.of(PolicyUpdates.parseAddEndpoint("api.example.com:443:read-write", "p", List.of())));

        assertThat(endpoint(denied).denyRules()).containsExactly(HttpRule.of("GET", "/admin/**"));
        assertThat(endpoint(denied).requestLimits()).isEqualTo(new RequestLimits(null, 10, null));
        assertThat(endpoint(widened).access()).isEqualTo(Access.READ_WRITE);
        assertThat(endpoint(widened).requestLimits()).isEqualTo(new RequestLimits(null, 10, null));
    }
}

package dev.openshell.policy.engine;

import static dev.openshell.policy.engine.TestPolicies.ep;
import static dev.openshell.policy.engine.TestPolicies.l4;
import static dev.openshell.policy.engine.TestPolicies.l7;
import static dev.openshell.policy.engine.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.HostAddresses;
import dev.openshell.policy.model.Verdict;
import dev.openshell.policy.net.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The destination guard refuses the addresses of the machine the proxy runs on like loopback, even
 * where a policy names them (literal host, {@code allowed_ips}, a name or wildcard resolving there);
 * and a literal private address as a policy host is an explicit allow of that one address.
 */
class HostAddressGuardTest {

    private static final String CURL = "/usr/bin/curl";

    /** The host's addresses in these tests: its veth ends and a LAN address. */
    private static final Set<Cidr> HOST = Set.of(Cidr.parse("10.200.0.0/16"), Cidr.parse("192.168.1.10"));

    private final List<InetAddress> asked = new CopyOnWriteArrayList<>();
    private final HostAddresses host = address -> {
        asked.add(address);
        return HOST.stream().anyMatch(c -> c.contains(address));
    };

    private final CompiledPolicy plain = PolicyEngine.compile(policy().network(
                    "lan",
                    List.of(CURL),
                    ep("10.200.0.1", 3128),
                    ep("192.168.1.10", 22),
                    ep("10.0.0.5", 443),
                    ep("fd00::5", 443),
                    ep("169.254.169.254", 80),
                    ep("wide.corp.example", 443).allowedIps("10.0.0.0/8", "192.168.0.0/16"),
                    ep("**.corp.example", 443).allowedIps("10.0.0.0/8"),
                    ep("rest.corp.example", 443).rest(Access.FULL).allowedIps("10.0.0.0/8"))
            .network("anyip", List.of("/usr/bin/psql"), ep(null, 5432).allowedIps("10.0.0.0/8"))
            .build());
    private final CompiledPolicy guarded = plain.withHostAddresses(host);

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource({
        // a literal host the policy names
        "10.200.0.1, '', 3128",
        "192.168.1.10, '', 22",
        // IPv4-mapped, IPv4-compatible and NAT64 spellings of the same literal
        "'[::ffff:10.200.0.1]', '', 3128",
        "'[::10.200.0.1]', '', 3128",
        "'[64:ff9b::ac8:1]', '', 3128",
        // a name whose allowed_ips cover the host address
        "wide.corp.example, 10.200.0.1, 443",
        "wide.corp.example, 192.168.1.10, 443",
        "wide.corp.example, '::ffff:10.200.3.1', 443",
        // a wildcard that resolves there
        "x.y.corp.example, 10.200.7.1, 443",
        // one address of several
        "wide.corp.example, '10.0.0.9 10.200.0.1', 443",
    })
    void anAddressOfThisHostIsNeverAllowed(String name, String addresses, int port) {
        String[] ips = addresses.isBlank() ? new String[0] : addresses.split(" ");
        Decision d = guarded.evaluate(l4(CURL, name, port, ips));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("destination-guard");
        assertThat(d.reason()).contains("an address of this host, which is never allowed");
        assertThat(d.suggestion()).isEmpty();
    }

    @Test
    void theSamePolicyWithoutHostKnowledgeAllowsThem() {
        assertThat(plain.evaluate(l4(CURL, "10.200.0.1", 3128)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(plain.evaluate(l4(CURL, "wide.corp.example", 443, "10.200.0.1"))
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void theReasonNamesTheAddressAndTheHostAsRequested() {
        assertThat(guarded.evaluate(l4(CURL, "wide.corp.example", 443, "10.200.0.1"))
                        .reason())
                .isEqualTo("wide.corp.example resolves to 10.200.0.1, an address of this host, which is never allowed");
        assertThat(guarded.evaluate(l4(CURL, "[::10.200.0.1]", 3128)).reason())
                .isEqualTo("::ac8:1 resolves to ::ac8:1 (10.200.0.1), an address of this host, which is never allowed");
    }

    @Test
    void anEndpointWithoutHostCannotReachTheHostEither() {
        Decision d = guarded.evaluate(l4("/usr/bin/psql", "db.internal", 5432, "10.200.0.1"));
        assertThat(d.rule()).contains("destination-guard");
        assertThat(guarded.evaluate(l4("/usr/bin/psql", "10.200.0.2", 5432)).verdict())
                .isEqualTo(Verdict.DENY);
        assertThat(guarded.evaluate(l4("/usr/bin/psql", "db.internal", 5432, "10.1.1.1"))
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
    }

    @Test
    void everyRequestOnAnInspectedConnectionIsGuardedToo() {
        Decision d = guarded.evaluate(l7(l4(CURL, "rest.corp.example", 443, "10.200.0.1"), "GET", "/"));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("destination-guard");
    }

    @Test
    void otherAddressesPassAndAlwaysDeniedOnesAreJudgedWithoutAskingTheHost() {
        assertThat(guarded.evaluate(l4(CURL, "wide.corp.example", 443, "10.0.0.9"))
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
        asked.clear();
        assertThat(guarded.evaluate(l4(CURL, "wide.corp.example", 443, "127.0.0.1"))
                        .reason())
                .contains("a loopback address");
        assertThat(asked).isEmpty();
    }

    @Test
    void aLiteralHostAlsoGivenAsItsResolvedAddressIsAskedAboutOnce() throws Exception {
        // the proxy passes a literal destination as its one resolved address too; each question
        // to the host is a kernel round trip on every new connection
        asked.clear();
        assertThat(guarded.evaluate(l4(CURL, "10.0.0.5", 443, "10.0.0.5")).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(asked).containsExactly(InetAddress.getByName("10.0.0.5"));
        asked.clear();
        Decision own = guarded.evaluate(l4(CURL, "10.200.0.1", 3128, "10.200.0.1"));
        assertThat(own.rule()).hasValue("destination-guard");
        assertThat(asked).containsExactly(InetAddress.getByName("10.200.0.1"));
        // a literal given with other addresses is still judged itself
        asked.clear();
        assertThat(guarded.evaluate(l4(CURL, "10.200.0.1", 3128, "10.0.0.9")).rule())
                .hasValue("destination-guard");
        assertThat(asked).containsExactly(InetAddress.getByName("10.0.0.9"), InetAddress.getByName("10.200.0.1"));
    }

    @Test
    void theAddressAnOpenConnectionReachedIsNotAskedAboutAgain() throws Exception {
        InetAddress open = InetAddress.getByName("10.0.0.9");
        asked.clear();
        assertThat(guarded.evaluate(l4(CURL, "wide.corp.example", 443, "10.0.0.9"), open)
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(guarded.evaluate(l7(l4(CURL, "rest.corp.example", 443, "10.0.0.9"), "GET", "/"), open)
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(asked).isEmpty();
        // without an open connection, or for another address, the host is asked as always
        assertThat(guarded.evaluate(l4(CURL, "wide.corp.example", 443, "10.0.0.9"), null)
                        .verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(asked).containsExactly(open);
    }

    @Test
    void anOpenConnectionVouchesForItsOwnAddressOnly() throws Exception {
        InetAddress open = InetAddress.getByName("10.0.0.9");
        // every other address of the answer is still judged: one of the host's denies
        Decision d = guarded.evaluate(l4(CURL, "wide.corp.example", 443, "10.0.0.9 10.200.0.1".split(" ")), open);
        assertThat(d.rule()).hasValue("destination-guard");
        assertThat(d.reason()).contains("an address of this host");
        // the fixed ranges are never lifted, whatever connection is named
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(guarded.evaluate(l4(CURL, "wide.corp.example", 443, "127.0.0.1"), loopback)
                        .reason())
                .contains("a loopback address");
        // nor are the policy's own rules: host, port and binary are judged on every request
        assertThat(guarded.evaluate(l4("/usr/bin/python3", "wide.corp.example", 443, "10.0.0.9"), open)
                        .verdict())
                .isEqualTo(Verdict.DENY);
        assertThat(guarded.evaluate(l4(CURL, "wide.corp.example", 80, "10.0.0.9"), open)
                        .verdict())
                .isEqualTo(Verdict.DENY);
    }

    @Test
    void anEmbeddedIpv4AddressIsAskedAboutAsWell() throws Exception {
        asked.clear();
        guarded.evaluate(l4(CURL, "wide.corp.example", 443, "64:ff9b::a00:9"));
        assertThat(asked).contains(InetAddress.getByName("10.0.0.9"));
    }

    @Test
    void whenTheHostCannotTellTheAddressIsDenied() {
        CompiledPolicy blind = plain.withHostAddresses(address -> {
            throw new IllegalStateException("netlink gone");
        });
        Decision d = blind.evaluate(l4(CURL, "10.0.0.5", 443));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.rule()).contains("destination-guard");
        assertThat(d.reason())
                .isEqualTo("10.0.0.5 resolves to 10.0.0.5, which may be an address of this host (cannot tell: netlink"
                        + " gone), so it is not allowed");
    }

    @Test
    void aLiteralPrivateHostIsAnExplicitAllowOfThatAddress() {
        assertThat(plain.evaluate(l4(CURL, "10.0.0.5", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(guarded.evaluate(l4(CURL, "10.0.0.5", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(guarded.evaluate(l4(CURL, "[::ffff:10.0.0.5]", 443)).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(guarded.evaluate(l4(CURL, "[fd00::5]", 443)).verdict()).isEqualTo(Verdict.ALLOW);
        // only that address, only on its port, only for its binaries
        assertThat(guarded.evaluate(l4(CURL, "10.0.0.6", 443)).verdict()).isEqualTo(Verdict.DENY);
        assertThat(guarded.evaluate(l4(CURL, "10.0.0.5", 80)).verdict()).isEqualTo(Verdict.DENY);
        assertThat(guarded.evaluate(l4("/usr/bin/python3", "10.0.0.5", 443)).verdict())
                .isEqualTo(Verdict.DENY);
        // a name that resolves to it is not the literal
        Decision byName = guarded.evaluate(l4(CURL, "db.corp.example", 443, "10.0.0.5"));
        assertThat(byName.verdict()).isEqualTo(Verdict.ALLOW); // via **.corp.example's allowed_ips
        assertThat(guarded.evaluate(l4(CURL, "db.example.net", 443, "10.0.0.5")).verdict())
                .isEqualTo(Verdict.DENY);
    }

    @Test
    void aLiteralHostNeverLiftsTheAlwaysDeniedRanges() {
        Decision d = guarded.evaluate(l4(CURL, "169.254.169.254", 80));
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).contains("link-local");
    }
}

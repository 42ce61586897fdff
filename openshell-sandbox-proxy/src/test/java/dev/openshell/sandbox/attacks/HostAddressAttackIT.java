package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.proxy.TestUpstream;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The host itself as the destination: a service on the host (here: listening on every address of
 * it) is reached through the proxy by naming one of the host's own addresses, which a policy can
 * name as a literal host, cover with {@code allowed_ips}, or resolve a wildcard name to. Every such
 * address is refused by the destination guard, however the policy names it: the host end of the
 * sandbox's veth, the agent's own sandbox subnet, the transit link to the fake internet, the
 * addresses of the host's other interfaces, an address added to an interface after the sandbox
 * started, and IPv4-mapped and -embedded spellings of them. A literal private address that is not
 * the host's is reachable by naming it, without {@code allowed_ips}.
 */
@SandboxHost
class HostAddressAttackIT {

    private static AttackSandbox attack;
    private static TestUpstream onTheHost;
    private static String veth;
    private static String agent;
    private static String transit;
    private static String added;
    private static final List<String> interfaces = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy());
        onTheHost = new TestUpstream("0.0.0.0", null);
        veth = URI.create(attack.supervisor().status().proxy()).getHost();
        byte[] agentBytes = InetAddress.ofLiteral(veth).getAddress();
        agentBytes[3]++;
        agent = InetAddress.getByAddress(agentBytes).getHostAddress();
        transit = attack.internet().hostSideAddress();
        // Unique per fake internet, added now that the sandbox and its proxy run: no start-up snapshot knows it.
        added = transit.replace("10.201.", "10.94.");
        attack.internet().addHostAddress(added);
        // The host's lasting interfaces (eth0, docker0, ...): test links of other runs come and go.
        NetworkInterface.networkInterfaces()
                .filter(nic -> !nic.getName().matches("(osh|ofi|veth).*"))
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                .map(InetAddress::getHostAddress)
                .forEach(interfaces::add);
        attack.dns.put("veth.host.test", veth);
        attack.dns.put("transit.host.test", transit);
        attack.dns.put("added.host.test", added);
        attack.dns.put("agent.elsewhere.test", agent);
        int port = onTheHost.port();
        StringBuilder literals = new StringBuilder();
        for (String a : concat(List.of(veth, agent, transit, added), interfaces)) {
            literals.append("      - {host: \"")
                    .append(a)
                    .append("\", port: ")
                    .append(port)
                    .append("}\n");
        }
        reload(SandboxFixture.systemPolicy()
                + """
                network_policies:
                  host:
                    endpoints:
                LITERALS      - {host: "**.host.test", port: SVC, allowed_ips: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}
                      - {port: SVC, allowed_ips: [10.0.0.0/8]}
                      - {host: "UPSTREAM", port: HTTP_PORT}
                    binaries: [{path: /usr/bin/curl}, {path: /usr/bin/python3}]
                """.replace("LITERALS", literals.toString())
                        .replace("SVC", String.valueOf(port))
                        .replace("UPSTREAM", attack.upstreamIp()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (onTheHost != null) {
            onTheHost.close();
        }
        if (attack != null) {
            attack.close(); // the added address goes with the fake internet's interface
        }
    }

    @Test
    void aLiteralHostAddressInThePolicyIsRefused() throws Exception {
        List<String> hosts = new ArrayList<>(concat(List.of(veth, agent, transit, added), interfaces));
        for (String a : List.of(veth, added)) {
            hosts.add("[::ffff:" + a + "]");
            hosts.add("[::" + a + "]");
        }
        for (String host : hosts) {
            assertRefusedAsTheHost(sh("curl -sS " + url(host)), "GET " + host);
            assertRefusedAsTheHost(sh(connect(host + ":" + onTheHost.port())), "CONNECT " + host);
        }
        assertThat(onTheHost.connections.get()).isZero();
    }

    @Test
    void aNameThatResolvesToTheHostIsRefusedWhateverAllowsIt() throws Exception {
        for (String name : List.of("veth.host.test", "transit.host.test", "added.host.test", "agent.elsewhere.test")) {
            assertRefusedAsTheHost(sh("curl -sS " + url(name)), name);
        }
        assertThat(onTheHost.connections.get()).isZero();
    }

    @Test
    void aLiteralPrivateAddressThatIsNotTheHostIsAnExplicitAllow() throws Exception {
        AgentShell.Result r = sh("curl -sS " + attack.http(attack.upstreamIp(), "/literal"));
        assertThat(r.output()).isEqualTo("GET /literal body=0\n");
    }

    private static String url(String host) {
        return "http://" + host + ":" + onTheHost.port() + "/";
    }

    /** A CONNECT sent by hand, so that the whole answer (curl shows only the status) is printed. */
    private static String connect(String target) {
        return """
                python3 - <<'PY'
                import os, socket, urllib.parse
                proxy = urllib.parse.urlsplit(os.environ['HTTP_PROXY'])
                s = socket.create_connection((proxy.hostname, proxy.port), timeout=10)
                s.sendall(b'CONNECT TARGET HTTP/1.1\\r\\nHost: TARGET\\r\\n\\r\\n')
                answer = b''
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
                print(answer.decode())
                PY
                """.replace("TARGET", target);
    }

    private static void assertRefusedAsTheHost(AgentShell.Result r, String attempt) {
        assertThat(r.output())
                .as(attempt)
                .contains("\"error\":\"policy_denied\"", "\"rule\":\"destination-guard\"", "an address of this host")
                .contains("the host's own addresses never");
    }

    private static AgentShell.Result sh(String script) throws Exception {
        return attack.sh(script);
    }

    private static void reload(String yaml) {
        var outcome = attack.supervisor().reload(attack.fill(yaml).getBytes(StandardCharsets.UTF_8), "test");
        assertThat(outcome.loaded()).as(outcome.toString()).isTrue();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

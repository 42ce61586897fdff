package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Going around the proxy by the ways the firewall does not redirect: IPv6 (to the host side's
 * link-local address, which the agent can compute from the MAC address its neighbour table shows,
 * to another link-local neighbour, to multicast, to a global address) and UDP or other protocols to
 * anything but the sandbox DNS. None of it may get anywhere, and none of it may hang the caller:
 * every attempt ends within a second, measured by the agent itself around the system call.
 */
@SandboxHost
class Ipv6AttackIT {

    private static final double FAST_SECONDS = 1.0;
    private static final Pattern PROBE = Pattern.compile("^(\\S+) ([0-9.]+) (\\S+)$", Pattern.MULTILINE);

    private static AttackSandbox attack;
    private static String hostInterface;
    private static String sandboxInterface;
    private static String hostLinkLocal;
    private static String veth;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy());
        veth = URI.create(attack.supervisor().status().proxy()).getHost();
        byte[] v = InetAddress.ofLiteral(veth).getAddress();
        int index = (((v[2] & 0xff) << 8) | (v[3] & 0xff)) >> 2;
        hostInterface = "osh" + index + "h";
        sandboxInterface = "osh" + index + "s";
        hostLinkLocal = linkLocalOf(hostInterface);
    }

    @AfterAll
    static void stop() throws Exception {
        if (attack != null) {
            attack.close();
        }
    }

    /** The host side's link-local address, or the one its MAC address gives (EUI-64) when it has none. */
    private static String linkLocalOf(String name) throws Exception {
        NetworkInterface nic = NetworkInterface.getByName(name);
        for (InetAddress a : nic.inetAddresses().toList()) {
            if (a instanceof Inet6Address && a.isLinkLocalAddress()) {
                return a.getHostAddress().replaceAll("%.*", "");
            }
        }
        byte[] mac = HexFormat.ofDelimiter(":")
                .parseHex(Files.readString(Path.of("/sys/class/net", name, "address"))
                        .strip());
        return String.format(
                "fe80::%02x%02x:%02xff:fe%02x:%02x%02x",
                (mac[0] & 0xff) ^ 2, mac[1] & 0xff, mac[2] & 0xff, mac[3] & 0xff, mac[4] & 0xff, mac[5] & 0xff);
    }

    @Test
    void ipv6UdpAndOtherProtocolsFailAtOnce() throws Exception {
        awaitAddressesSettled();
        Map<String, String> outcomes = probe(List.of(
                "tcp6 host-link-local " + hostLinkLocal + " 3128 " + sandboxInterface,
                "tcp6 host-link-local-ssh " + hostLinkLocal + " 22 " + sandboxInterface,
                "tcp6 other-link-local fe80::1 80 " + sandboxInterface,
                "tcp6 global 2001:db8::1 443 -",
                "udp6 all-nodes ff02::1 5353 " + sandboxInterface,
                "udp6 host-link-local-dns " + hostLinkLocal + " 53 " + sandboxInterface,
                "udp6 global-dns 2001:4860:4860::8888 53 -",
                "udp4 public-dns 8.8.8.8 53 -",
                "udp4 upstream " + attack.upstreamIp() + " 9999 -",
                "udp4 host-side-other-port " + veth + " 5353 -",
                "tcp4 host-side-dns-over-tcp " + veth + " 53 -",
                "tcp4 host-side-ssh " + veth + " 22 -",
                "icmp4 upstream-echo " + attack.upstreamIp() + " 0 -"));

        // Nothing gets through, and (probe asserts) nothing takes long to fail.
        assertThat(outcomes)
                .allSatisfy((probe, outcome) -> assertThat(outcome)
                        .as(probe)
                        .doesNotStartWith("connected")
                        .doesNotStartWith("answered"));
    }

    /**
     * Waits (at most 3 s) until no IPv6 address in the sandbox is still tentative: a link-local
     * address in duplicate address detection refuses connections at once, which would hide a hang.
     */
    private static void awaitAddressesSettled() {
        String namespace = "osh-" + attack.supervisor().id();
        await("IPv6 addresses settled")
                .atMost(Duration.ofSeconds(10))
                .until(() -> !SandboxFixture.run(List.of("ip", "-n", namespace, "-6", "addr"))
                        .contains("tentative"));
    }

    /**
     * Runs every probe ({@code KIND LABEL ADDRESS PORT INTERFACE}, interface {@code -} for none) in
     * the sandbox, asserts each ended within {@link #FAST_SECONDS}, and returns the outcome
     * ({@code connected}, {@code answered}, {@code timeout} or the errno name) by label.
     */
    private static Map<String, String> probe(List<String> probes) throws Exception {
        StringBuilder list = new StringBuilder("PROBES = [\n");
        for (String p : probes) {
            String[] f = p.split(" ");
            list.append("    ('%s', '%s', '%s', %s, '%s'),\n".formatted(f[0], f[1], f[2], f[3], f[4]));
        }
        list.append("]\n");
        AgentShell.Result r = attack.sh("python3 - <<'PY'\n" + list + PROBE_SCRIPT + "PY\n");
        Map<String, String> outcomes = new java.util.TreeMap<>();
        Matcher m = PROBE.matcher(r.output());
        while (m.find()) {
            double took = Double.parseDouble(m.group(2));
            assertThat(took)
                    .as(m.group(1) + " took " + took + " s: " + m.group(3))
                    .isLessThan(FAST_SECONDS);
            outcomes.put(m.group(1), m.group(3));
        }
        assertThat(outcomes).as(r.output()).hasSize(probes.size());
        return outcomes;
    }

    /** Tries each of PROBES once, timing the system calls; prints {@code LABEL SECONDS OUTCOME}. */
    private static final String PROBE_SCRIPT = """
            import errno, socket, time
            for kind, label, addr, port, ifname in PROBES:
                v6 = kind.endswith('6')
                family = socket.AF_INET6 if v6 else socket.AF_INET
                stream = kind.startswith('tcp')
                proto = socket.IPPROTO_ICMP if kind.startswith('icmp') else 0
                start = time.monotonic()
                try:
                    s = socket.socket(family, socket.SOCK_STREAM if stream else socket.SOCK_DGRAM, proto)
                    s.settimeout(3)
                    scope = socket.if_nametoindex(ifname) if ifname != '-' else 0
                    s.connect((addr, port, 0, scope) if v6 else (addr, port))
                    if stream:
                        outcome = 'connected'
                    else:
                        s.send(b'\\x08\\x00\\xf7\\xff\\x00\\x00\\x00\\x00' if proto else b'probe')
                        s.recv(512)
                        outcome = 'answered'
                except socket.timeout:
                    outcome = 'timeout'
                except OSError as e:
                    outcome = errno.errorcode.get(e.errno, str(e.errno))
                print('%s %.3f %s' % (label, time.monotonic() - start, outcome), flush=True)
            """;
}

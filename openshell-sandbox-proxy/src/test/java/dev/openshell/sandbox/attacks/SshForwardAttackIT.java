package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.ssh.SandboxSshClient;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Port forwards of the sandbox's SSH server (what {@code openshell forward} and {@code ssh -L/-W/-D}
 * use) as a way out of the sandbox past its proxy. A forward is meant to reach into the sandbox
 * only; here its target is, in turn, an upstream the policy even allows through the proxy (by its
 * address, an IPv4-mapped IPv6 spelling, its name), the proxy's address on the host side of the
 * veth, the sandbox subnet's broadcast address, a multicast group, the wildcard address and the
 * host's own addresses. None may reach anything outside: the fake internet sees no request and
 * holds no connection from any of them.
 */
@SandboxHost
class SshForwardAttackIT {

    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy() + """
                network_policies:
                  web:
                    endpoints:
                      - {host: api.test, port: HTTP_PORT, allowed_ips: [10.95.0.0/24]}
                    binaries: [{path: /usr/bin/curl}]
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (attack != null) {
            attack.close();
        }
    }

    @Test
    void theUpstreamIsReachableThroughTheProxyButNoForwardLeadsThere() throws Exception {
        assertThat(attack.sh("curl -sS " + attack.http("api.test", "/via-proxy"))
                        .output())
                .as("the baseline: the policy lets curl reach the upstream through the proxy")
                .isEqualTo("GET /via-proxy body=0\n");

        String proxy = URI.create(attack.supervisor().status().proxy()).getHost();
        byte[] net = InetAddress.ofLiteral(proxy).getAddress();
        net[3] = (byte) (net[3] | 0x03); // the /30's broadcast address
        String broadcast = InetAddress.getByAddress(net).getHostAddress();
        int proxyPort = URI.create(attack.supervisor().status().proxy()).getPort();
        String upstream = attack.upstreamIp();
        int port = attack.httpPort();
        List<String[]> targets = new ArrayList<>(List.of(
                new String[] {upstream, Integer.toString(port)},
                new String[] {"::ffff:" + upstream, Integer.toString(port)},
                new String[] {"[::ffff:" + upstream + "]", Integer.toString(port)},
                new String[] {"api.test", Integer.toString(port)},
                new String[] {proxy, Integer.toString(proxyPort)},
                new String[] {broadcast, Integer.toString(port)},
                new String[] {"224.0.0.1", Integer.toString(port)},
                new String[] {"0.0.0.0", Integer.toString(port)},
                new String[] {attack.internet().hostSideAddress(), Integer.toString(port)}));
        try (SandboxSshClient ssh = attack.sshClient()) {
            for (String[] t : targets) {
                try (SandboxSshClient.PortForward forward = ssh.forward(0, t[0], Integer.parseInt(t[1]))) {
                    String answer =
                            exchange(forward.localPort(), "GET /via-forward HTTP/1.0\r\nHost: api.test\r\n\r\n");

                    assertThat(answer).as("forward to " + t[0] + ":" + t[1]).isEmpty();
                }
            }
        }

        assertThat(attack.requests()).containsExactly("GET /via-proxy body=0");
        assertThat(attack.openUpstreamConnections()).isZero();
    }

    @Test
    void theControlAForwardToAServerInsideTheSandboxAnswers() throws Exception {
        // Without this, an empty answer above could mean a broken probe rather than a refusal.
        int port = 20000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(20000);
        attack.send("python3 -m http.server " + port + " --bind 127.0.0.1 >/dev/null 2>&1 &");
        try (SandboxSshClient ssh = attack.sshClient();
                SandboxSshClient.PortForward forward = ssh.forward(0, "127.0.0.1", port)) {
            String[] answer = {""};
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> {
                        try {
                            answer[0] = exchange(forward.localPort(), "GET / HTTP/1.0\r\n\r\n");
                        } catch (IOException e) {
                            answer[0] = "";
                        }
                        return answer[0].startsWith("HTTP/1.0 200");
                    });

            assertThat(answer[0]).startsWith("HTTP/1.0 200");
        }
        // The server ends with the sandbox (AfterAll).
    }

    /** Connects to the forward's local port, sends {@code request}, returns what came back before EOF. */
    private static String exchange(int localPort, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), localPort)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.SocketException e) {
            return ""; // reset: the forward was refused
        }
    }
}

package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client in its own network namespace (veth to the host) is identified through the
 * namespace's own TCP table, exactly as the sandbox's agent will be.
 */
@RequiresRoot
@RequiresTool("ip")
class NamespaceCallerIT {

    private final String suffix = HexFormat.of().formatHex(SecureRandom.getSeed(3));
    private final String netns = "osh-t-" + suffix;
    private final String hostVeth = "osht" + suffix + "h";
    private final String sandboxVeth = "osht" + suffix + "s";
    private final int subnet = 1 + new SecureRandom().nextInt(250);
    private final String hostIp = "10.213." + subnet + ".1";
    private final String sandboxIp = "10.213." + subnet + ".2";
    private boolean created;
    private Process client;

    @BeforeEach
    void namespace() throws Exception {
        created = true;
        ip("netns", "add", netns);
        ip("link", "add", hostVeth, "type", "veth", "peer", "name", sandboxVeth);
        ip("link", "set", sandboxVeth, "netns", netns);
        ip("addr", "add", hostIp + "/30", "dev", hostVeth);
        ip("link", "set", hostVeth, "up");
        ip("-n", netns, "addr", "add", sandboxIp + "/30", "dev", sandboxVeth);
        ip("-n", netns, "link", "set", sandboxVeth, "up");
        ip("-n", netns, "link", "set", "lo", "up");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (client != null) {
            client.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (created) {
            // deleting the namespace destroys its veth end, which takes the host end with it
            run(List.of("ip", "netns", "del", netns), false);
            run(List.of("ip", "link", "del", hostVeth), false);
        }
    }

    @Test
    void curlInsideTheNamespaceIsIdentifiedThroughTheNamespacesTable() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getByName(hostIp))) {
            server.setSoTimeout(10_000);
            client = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            netns,
                            "bash",
                            "-c",
                            "curl -s --max-time 5 http://" + hostIp + ":" + server.getLocalPort()
                                    + "/ >/dev/null; sleep 30")
                    .redirectErrorStream(true)
                    .start();
            // ip netns exec execs the shell, so the started process is the sandbox's root
            int root = (int) client.pid();

            try (Socket accepted = server.accept()) {
                InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteSocketAddress();
                InetSocketAddress local = (InetSocketAddress) accepted.getLocalSocketAddress();
                assertThat(peer.getAddress().getHostAddress()).isEqualTo(sandboxIp);

                CallerIdentity id =
                        ProcCallerResolver.forNamespaceOf(root, root).resolve(peer, local);

                assertThat(id.binary())
                        .isEqualTo(Path.of("/usr/bin/curl").toRealPath().toString());
                assertThat(id.ancestors())
                        .containsExactly(Path.of("/bin/bash").toRealPath().toString());
                assertThat(ProcessHandle.of(id.pid())
                                .flatMap(ProcessHandle::parent)
                                .map(ProcessHandle::pid))
                        .contains((long) root);

                // the host namespace has no such client socket: looking there fails closed
                assertThatThrownBy(() -> ProcCallerResolver.forOwnNamespace().resolve(peer, local))
                        .isInstanceOfSatisfying(
                                IdentityException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_UNKNOWN));
            }
        }
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(command, true);
    }

    private static void run(List<String> command, boolean check) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(10, TimeUnit.SECONDS);
        if (check && (!done || p.exitValue() != 0)) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }
}

package dev.openshell.cli.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LocalDriverGateway;
import dev.openshell.cli.support.SharedLocalGateway;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code sandbox connect}, {@code ssh-config} and {@code ssh-proxy} with the real OpenSSH client
 * against a real gateway with the local driver, and the SSH server's refusal of every forward
 * that would lead out of the sandbox past its proxy.
 */
@RequiresRoot
@ExtendWith(SharedLocalGateway.class)
@RequiresTool({"ip", "nft", "ssh"})
class SshAccessIT {

    static LocalDriverGateway gateway;
    static CliSession cli;
    static String sandbox;

    @BeforeAll
    static void startGateway(LocalDriverGateway shared) {
        gateway = shared;
        cli = gateway.cli();
        sandbox = gateway.sandbox("ssh-access");
    }

    @Test
    void connectRunsACommandThroughTheSystemSsh() throws Exception {
        Result r = cli.run("sandbox", "connect", sandbox, "--", "sh", "-c", "'id -u; echo $SSH_CONNECTION; exit 5'");
        Path dir = cli.configDir().resolve("gateways/sessions/ssh").resolve(sandbox);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(Integer.parseInt(r.out().lines().findFirst().orElseThrow())).isGreaterThanOrEqualTo(200_000);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("id_ecdsa"))))
                .isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("known_hosts")))
                .startsWith("openshell-" + sandbox + " ecdsa-sha2-nistp256 ");
    }

    @Test
    void sshConfigWorksWithAStockSshClient() throws Exception {
        Result config = cli.run("ssh-config", sandbox);
        Path file = Files.writeString(home("ssh_config"), config.out());

        ProcessBuilder ssh = new ProcessBuilder(
                        "ssh", "-F", file.toString(), "openshell-" + sandbox, "echo", "via-config")
                .redirectErrorStream(true);
        ssh.environment().put("XDG_CONFIG_HOME", cli.home().resolve("config").toString());
        Process p = ssh.start();
        p.getOutputStream().close();
        String out = readAll(p);

        assertThat(config.exitCode()).as(config.toString()).isZero();
        assertThat(config.out())
                .startsWith("Host openshell-" + sandbox + "\n")
                .contains("  StrictHostKeyChecking yes\n");
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("via-config\n");
    }

    @Test
    void aHostKeyThatDoesNotMatchThePinIsRefused() throws Exception {
        Result config = cli.run("ssh-config", sandbox);
        Path file = Files.writeString(home("ssh_config_pinned"), config.out());
        Path known = cli.configDir()
                .resolve("gateways/sessions/ssh")
                .resolve(sandbox)
                .resolve("known_hosts");
        String pinned = Files.readString(known);
        // A pin holding another server's key (in a file the proxy does not rewrite): ssh must refuse.
        Path forged = Files.writeString(
                home("forged_known_hosts"),
                "openshell-" + sandbox
                        + " ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV0U2w0WZ2YB/++Tpockg=\n");
        String text = config.out().replace(known.toString(), forged.toString());
        Files.writeString(file, text);

        ProcessBuilder ssh = new ProcessBuilder("ssh", "-F", file.toString(), "openshell-" + sandbox, "true")
                .redirectErrorStream(true);
        ssh.environment().put("XDG_CONFIG_HOME", cli.home().resolve("config").toString());
        Process p = ssh.start();
        p.getOutputStream().close();
        String out = readAll(p);

        assertThat(pinned).isNotEmpty();
        assertThat(p.exitValue()).as(out).isEqualTo(255);
        assertThat(out).contains("Host key verification failed");
    }

    @Test
    void noForwardLeadsOutOfTheSandbox() throws Exception {
        Path config = Files.writeString(
                home("ssh_config_out"), cli.run("ssh-config", sandbox).out());
        String hostAddress = hostAddress();
        AtomicInteger reached = new AtomicInteger();
        try (ServerSocket host = new ServerSocket()) {
            host.bind(new InetSocketAddress(0));
            int port = host.getLocalPort();
            Thread.ofVirtual().start(() -> {
                while (!host.isClosed()) {
                    try (Socket s = host.accept()) {
                        reached.incrementAndGet();
                        s.getOutputStream().write("host-secret\n".getBytes(StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            List<String> targets = new ArrayList<>(List.of(
                    hostAddress + ":" + port,
                    "[::ffff:" + hostAddress + "]:" + port,
                    "localhost.localdomain:" + port,
                    "example.com:80",
                    "169.254.169.254:80",
                    "0.0.0.0:" + port,
                    "127.0.0.1:" + port,
                    "[::1]:" + port));
            for (String target : targets) {
                Ssh r = ssh(config, List.of("-W", target), "openshell-" + sandbox);

                assertThat(r.exit()).as("-W " + target + ": " + r.output()).isNotZero();
                assertThat(r.output()).as(target).doesNotContain("host-secret");
            }

            // -R: a listener for the sandbox's traffic somewhere else is refused outright
            Ssh remote = ssh(
                    config,
                    List.of("-o", "ExitOnForwardFailure=yes", "-R", "0:" + hostAddress + ":" + port, "-N"),
                    "openshell-" + sandbox);
            assertThat(remote.exit()).as(remote.output()).isEqualTo(255);
            assertThat(remote.output()).contains("remote port forwarding failed");

            // -D: a SOCKS proxy through the sandbox reaches nothing outside it either
            int socks = freePort();
            Process dynamic = new ProcessBuilder(
                            "ssh", "-F", config.toString(), "-N", "-D", "127.0.0.1:" + socks, "openshell-" + sandbox)
                    .redirectErrorStream(true)
                    .start();
            try {
                awaitListening(socks);
                Process curl = new ProcessBuilder(
                                "curl",
                                "-sS",
                                "--max-time",
                                "10",
                                "--socks5",
                                "127.0.0.1:" + socks,
                                "http://" + hostAddress + ":" + port + "/")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(curl.waitFor()).as(out).isNotZero();
                assertThat(out).doesNotContain("host-secret");
            } finally {
                dynamic.destroy();
                dynamic.waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(reached).as("connections that reached the host's server").hasValue(0);
    }

    record Ssh(int exit, String output) {}

    static Ssh ssh(Path config, List<String> options, String alias) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ssh", "-F", config.toString()));
        argv.addAll(options);
        argv.add(alias);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("XDG_CONFIG_HOME", cli.home().resolve("config").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = readAll(p);
        return new Ssh(p.exitValue(), out);
    }

    /** An IPv4 address of this host that is not loopback: where a forward out would go. */
    static String hostAddress() throws Exception {
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback() && !nic.getName().startsWith("osh")) {
                for (InetAddress a : nic.inetAddresses().toList()) {
                    if (a instanceof Inet4Address) {
                        return a.getHostAddress();
                    }
                }
            }
        }
        throw new AssertionError("this host has no IPv4 address besides loopback");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("nothing listens on " + port);
    }

    static Path home(String name) {
        return cli.home().resolve(name);
    }

    static String readAll(Process p) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running: " + out);
        }
        return out;
    }
}

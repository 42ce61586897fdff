package dev.openshell.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway start --remote} against a real OpenSSH server ({@link SshHost}: its own network
 * namespace and address, its own host key and authorized key), with the real jars copied over SSH
 * and the real gateway started there: healthy from this side, registered, idempotent, reached
 * again through {@code ~/.ssh/config} and the ssh-agent, a sandbox run through it, stopped and
 * destroyed over SSH with nothing left on the host. And the refusals: an unknown or changed host
 * key, a key the host refuses, a key behind a passphrase, a host without Java 25.
 */
@RequiresRoot
@RequiresTool({"/usr/sbin/sshd", "ip", "nft", "nsenter", "unshare", "ssh-keygen", "ssh-agent", "ssh-add"})
class RemoteGatewayIT {

    private static final String JAVA_25 = "/usr/lib/jvm/temurin-25-jdk-amd64";

    @TempDir
    Path dir;

    SshHost host;
    CliSession cli;
    Process agent;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("client/.ssh"));
        cli = new CliSession(dir.resolve("client"));
        cli.unset("SSH_AUTH_SOCK");
    }

    @AfterEach
    void tearDown() throws Exception {
        stopAgent();
        if (host != null) {
            host.close();
        }
    }

    private void stopAgent() throws InterruptedException {
        if (agent != null) {
            agent.destroy();
            agent.waitFor(10, TimeUnit.SECONDS);
            agent = null;
        }
    }

    @Test
    void startsOnTheHostOverSshIsIdempotentAndDestroyLeavesNothing() throws Exception {
        host = SshHost.start(dir.resolve("host"), Map.of("JAVA_HOME", JAVA_25), false);
        trustHostKeyHashed();
        String address = host.address();

        Result first = cli.run(
                "gateway",
                "start",
                "--remote",
                "root@" + address,
                "--ssh-key",
                host.clientKey().toString(),
                "--name",
                "far");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out())
                .matches(
                        "gateway far is ready at https://" + address.replace(".", "\\.")
                                + ":8443 \\(on root@[\\d.]+, pid \\d+, answering here in [\\d.]+ s\\) and is the active gateway\n");
        assertThat(first.err())
                .contains(
                        "connecting to root@" + address + " over SSH",
                        "checking root@" + address + " (Java 25, root, ip, nft)",
                        "copying openshell-gateway.jar (",
                        "waiting for https://" + address + ":8443 to answer from here");
        Path registered = cli.configDir().resolve("gateways/far");
        assertThat(Files.readString(cli.configDir().resolve("active_gateway"))).isEqualTo("far\n");
        assertThat(Files.getPosixFilePermissions(registered.resolve("mtls/tls.key")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(registered.resolve("metadata.json")))
                .contains("\"endpoint\" : \"https://" + address + ":8443\"", "\"destination\" : \"root@" + address);
        Path remoteRoot = host.home().resolve(".local/share/openshell");
        assertThat(remoteRoot.resolve("gateways/far/gateway.db")).exists();
        assertThat(remoteRoot.resolve("dist")).isDirectory();

        Result info = cli.run("gateway", "info");
        Result list = cli.run("sandbox", "list", "-o", "json");
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.out()).contains("health:        ready");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).isEqualTo("{\n  \"items\" : [ ]\n}\n");

        // Again, through a ~/.ssh/config alias and the ssh-agent: the same login, so it is the same gateway.
        startAgentWith(host.clientKey());
        Files.writeString(
                dir.resolve("client/.ssh/config"), "Host far-host\n  HostName " + address + "\n  User root\n");
        Result again = cli.run("gateway", "start", "--remote", "far-host", "--name", "far");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out())
                .matches("gateway far is already running at https://" + address.replace(".", "\\.")
                        + ":8443 \\(on root@[\\d.]+, pid \\d+\\)\n");
        assertThat(again.err())
                .contains("the distribution is already on root@" + address)
                .doesNotContain("copying");

        // A sandbox through the remote gateway: the local driver runs inside the host's namespace.
        Result create = cli.run("sandbox", "create", "--name", "smoke", "--detach");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        Result exec = cli.run("sandbox", "exec", "smoke", "--", "sh", "-c", "echo from-the-remote-sandbox");
        assertThat(exec.exitCode()).as(exec.toString()).isZero();
        assertThat(exec.out()).isEqualTo("from-the-remote-sandbox\n");

        Result stop = cli.run("gateway", "stop");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).isEqualTo("gateway far stopped (on root@" + address + ")\n");
        Result stopped = cli.run("sandbox", "list");
        assertThat(stopped.exitCode()).isEqualTo(69);

        Result destroy = cli.run("gateway", "destroy", "--yes");
        assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).isEqualTo("gateway far destroyed (on root@" + address + ")\n");
        assertThat(registered).doesNotExist();
        assertThat(cli.configDir().resolve("active_gateway")).doesNotExist();
        assertThat(remoteRoot).as("nothing of openshell is left on the host").doesNotExist();
        assertThat(host.leftovers()).as("nothing but sshd runs on the host").isEmpty();

        String netns = host.netns();
        host.close();
        host = null;
        stopAgent();
        assertThat(run("ip", "netns", "list")).doesNotContain(netns);
        assertThat(ProcessHandle.allProcesses()
                        .filter(p -> p.info().commandLine().orElse("").contains(dir.toString())))
                .as("no process of the test runs on")
                .isEmpty();
    }

    @Test
    void anUnknownHostKeyIsRefusedWithTheFingerprintAndNothingChanges() throws Exception {
        host = SshHost.start(dir.resolve("host"), Map.of("JAVA_HOME", JAVA_25), false);

        Result r = start(host.clientKey());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.err().lines().toList())
                .filteredOn(l -> !l.endsWith("over SSH"))
                .hasSize(2)
                .first()
                .asString()
                .startsWith("error: the host key of " + host.address() + " is not known (ssh-ed25519 SHA256:")
                .endsWith("): refusing to connect");
        assertThat(r.err()).contains("accept it with ssh root@" + host.address() + " true (answer yes)");
        assertNothingChanged();
    }

    @Test
    void aChangedHostKeyIsRefused() throws Exception {
        host = SshHost.start(dir.resolve("host"), Map.of("JAVA_HOME", JAVA_25), false);
        run(
                "ssh-keygen",
                "-q",
                "-t",
                "ed25519",
                "-N",
                "",
                "-f",
                dir.resolve("other").toString());
        String[] other = Files.readString(dir.resolve("other.pub")).split(" ");
        Files.writeString(knownHosts(), host.address() + " " + other[0] + " " + other[1] + "\n");
        String before = Files.readString(knownHosts());

        Result r = start(host.clientKey());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.err())
                .contains("error: the host key of " + host.address() + " has CHANGED (now ssh-ed25519 SHA256:");
        assertThat(r.err()).contains("ssh-keygen -R " + host.address());
        assertThat(Files.readString(knownHosts())).isEqualTo(before);
        assertNothingChanged();
    }

    @Test
    void aKeyTheHostRefusesIsOneLine() throws Exception {
        host = SshHost.start(dir.resolve("host"), Map.of("JAVA_HOME", JAVA_25), false);
        trustHostKey();
        Path wrong = dir.resolve("wrong_key");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", wrong.toString());

        Result r = start(wrong);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(5);
        assertThat(r.err().lines().filter(l -> l.startsWith("error: ")))
                .containsExactly("error: root@" + host.address() + " refused the key " + wrong);
        assertNothingChanged();
    }

    @Test
    void aKeyBehindAPassphraseAsksForTheAgent() throws Exception {
        host = SshHost.start(dir.resolve("host"), Map.of("JAVA_HOME", JAVA_25), false);
        trustHostKey();
        Path locked = dir.resolve("locked_key");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "secret phrase", "-f", locked.toString());

        Result r = start(locked);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err())
                .contains(
                        "error: the SSH key " + locked + " is protected by a passphrase",
                        "add it to your ssh-agent (ssh-add " + locked + ")");
        assertNothingChanged();
    }

    @Test
    void aHostWithoutJava25IsToldWhatToInstallAndNothingIsCopied() throws Exception {
        host = SshHost.start(
                dir.resolve("host"),
                Map.of("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "JAVA_HOME", "/opt/no-java-here"),
                true);
        trustHostKey();

        Result r = start(host.clientKey());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err())
                .contains("error: root@" + host.address() + " cannot run a gateway yet (nothing was changed there):"
                        + " Java 25: no java found ($JAVA_HOME, PATH, /usr/lib/jvm); install a Java 25 JDK there");
        assertThat(r.err()).contains("temurin-25-jdk");
        assertNothingChanged();
    }

    @Test
    void aHostWithAnOlderJavaIsToldWhichItFound() throws Exception {
        Path oldJava = dir.resolve("jdk17/bin/java");
        Files.createDirectories(oldJava.getParent());
        Files.writeString(
                oldJava,
                "#!/bin/sh\necho 'openjdk version \"17.0.9\" 2023-10-17' >&2\necho 'OpenJDK Runtime Environment' >&2\n");
        Files.setPosixFilePermissions(oldJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        host = SshHost.start(
                dir.resolve("host"),
                Map.of(
                        "PATH",
                        "/usr/bin:/bin:/usr/sbin:/sbin",
                        "JAVA_HOME",
                        dir.resolve("jdk17").toString()),
                true);
        trustHostKey();

        Result r = start(host.clientKey());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("Java 25: found only " + oldJava + " (Java 17); install a Java 25 JDK there");
        assertNothingChanged();
    }

    private Result start(Path key) {
        return cli.run("gateway", "start", "--remote", "root@" + host.address(), "--ssh-key", key.toString());
    }

    private void assertNothingChanged() throws Exception {
        assertThat(cli.configDir().resolve("gateways")).doesNotExist();
        assertThat(cli.configDir().resolve("active_gateway")).doesNotExist();
        try (var files = Files.list(host.home())) {
            assertThat(files.toList()).as("the remote home stays empty").isEmpty();
        }
        assertThat(host.leftovers()).isEmpty();
    }

    private Path knownHosts() {
        return dir.resolve("client/.ssh/known_hosts");
    }

    private void trustHostKey() throws Exception {
        Files.writeString(knownHosts(), host.knownHostsLine());
    }

    /** As Debian's OpenSSH writes them ({@code HashKnownHosts yes}). */
    private void trustHostKeyHashed() throws Exception {
        trustHostKey();
        run("ssh-keygen", "-q", "-H", "-f", knownHosts().toString());
        assertThat(Files.readString(knownHosts())).startsWith("|1|").doesNotContain(host.address());
    }

    private void startAgentWith(Path key) throws Exception {
        Path socket = dir.resolve("agent.sock");
        agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true)
                .redirectOutput(new File("/dev/null"))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        ProcessBuilder addKey = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
        addKey.environment().put("SSH_AUTH_SOCK", socket.toString());
        Process add = addKey.start();
        add.getOutputStream().close();
        String out = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(add.waitFor()).as(out).isZero();
        cli.set("SSH_AUTH_SOCK", socket.toString());
    }

    private static String run(String... command) throws Exception {
        Process p =
                new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}

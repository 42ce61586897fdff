package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent tries to reach the host through Unix sockets (Landlock does not mediate {@code
 * connect()} on them, so a world-connectable socket anywhere in the agent's view would be an open
 * door): D-Bus style under {@code /run} and {@code /var/run}, X11 style under {@code /tmp}, {@code
 * /dev/shm}, {@code /var/lib/*}, {@code /var/tmp}, a {@code docker.sock} under {@code /srv}, a
 * {@code /dev/log} style socket, another sandbox's control socket under {@code /run/openshell}, and
 * an abstract socket. Every host socket is mode 0777, so only the sandbox's view stands in the way.
 */
@SandboxHost
class HostSocketAttackIT {

    private static final String ID = UUID.randomUUID().toString().substring(0, 8);

    private static AttackSandbox attack;
    private static final List<HostSocket> sockets = new ArrayList<>();
    private static final List<Path> madeDirectories = new ArrayList<>();
    private static Process abstractListener;
    private static Path abstractAccepted;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy());
        for (String path : List.of(
                "/run/osh-attack-" + ID + "/bus.sock",
                "/tmp/osh-attack-" + ID + "/X0",
                "/dev/shm/osh-attack-" + ID + ".sock",
                "/var/lib/osh-attack-" + ID + "/mysqld.sock",
                "/var/tmp/osh-attack-" + ID + ".sock",
                "/srv/osh-attack-" + ID + "/docker.sock",
                "/dev/osh-attack-" + ID + ".log",
                SandboxFixture.IT_STATE
                        .resolve("osh-attack-" + ID + "/control.sock")
                        .toString())) {
            sockets.add(HostSocket.listen(Path.of(path)));
        }
        abstractAccepted = Files.createTempFile("osh-attack-abstract-", ".count");
        abstractListener = new ProcessBuilder("/usr/bin/python3", "-c", """
                        import socket, sys
                        s = socket.socket(socket.AF_UNIX)
                        s.bind('\\0osh-attack-%s')
                        s.listen(8)
                        print('ready', flush=True)
                        while True:
                            c, _ = s.accept()
                            open(sys.argv[1], 'a').write('x')
                            c.close()
                        """.formatted(ID), abstractAccepted.toString())
                .redirectErrorStream(true)
                .start();
        abstractListener.getInputStream().read(new byte[6]);
    }

    @AfterAll
    static void stop() throws Exception {
        for (HostSocket socket : sockets) {
            socket.close();
        }
        for (Path dir : madeDirectories) {
            Files.deleteIfExists(dir);
        }
        if (abstractListener != null) {
            abstractListener.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (abstractAccepted != null) {
            Files.deleteIfExists(abstractAccepted);
        }
        if (attack != null) {
            attack.close();
        }
    }

    /** A python3 one-liner that tries each socket and prints {@code path connected|errno}. */
    private static String tryConnect(List<String> paths) {
        StringBuilder script = new StringBuilder("python3 -c '\n");
        script.append("import socket, sys\n");
        script.append("for p in sys.argv[1:]:\n");
        script.append("    s = socket.socket(socket.AF_UNIX)\n");
        script.append("    try:\n");
        script.append("        s.connect(\"\\0\" + p[1:] if p.startswith(\"@\") else p); print(p, \"connected\")\n");
        script.append("    except OSError as e:\n");
        script.append("        print(p, e.errno)\n");
        script.append("' ");
        script.append(String.join(" ", paths));
        return script.toString();
    }

    private static List<String> targets() {
        List<String> paths = new ArrayList<>();
        sockets.forEach(s -> paths.add(s.path.toString()));
        // /var/run is /run on this host (a symlink); the agent may take either spelling
        paths.add("/var/run/osh-attack-" + ID + "/bus.sock");
        paths.add("@osh-attack-" + ID);
        return paths;
    }

    @Test
    void noHostSocketIsReachableFromTheAgent() throws Exception {
        AgentShell.Result result = attack.sh(tryConnect(targets()));

        assertThat(result.output()).as(result.output()).doesNotContain("connected");
        assertThat(result.output().lines()).hasSize(targets().size());
        assertNobodyConnected();
    }

    @Test
    void noHostSocketIsReachableFromAnSshSessionEither() throws Exception {
        AgentShell.Result result = attack.ssh(tryConnect(targets()));

        assertThat(result.output()).as(result.output()).doesNotContain("connected");
        assertThat(result.output().lines()).hasSize(targets().size());
        assertNobodyConnected();
    }

    @Test
    void runShowsOnlyWhatTheSandboxProvides() throws Exception {
        Path state = attack.supervisor().stateDir();
        AgentShell.Result run = attack.sh("ls -A /run /run/openshell /run/openshell/tls");
        AgentShell.Result stateDir = attack.sh("ls -A " + state);
        AgentShell.Result trust = attack.sh("grep -c 'BEGIN CERTIFICATE' \"$SSL_CERT_FILE\"; echo $SSL_CERT_FILE");
        AgentShell.Result probes = attack.sh("for f in " + state + "/control.sock " + state + "/ssh/client_key "
                + state + "/status.json " + state + "/sandbox.log " + state + "/decisions.log " + state
                + "/tls/ca.pem /run/openshell/sandboxes " + SandboxFixture.IT_STATE + "/osh-attack-" + ID
                + "; do test -e $f && echo visible: $f; done; true");

        assertThat(run.output())
                .isEqualTo("/run:\nopenshell\n\n/run/openshell:\nit-supervisor\ntls\n\n/run/openshell/tls:\n"
                        + "bundle.pem\nca.pem\n");
        // of the state directory only the agent's own work directory
        assertThat(stateDir.output()).isEqualTo("work\n");
        assertThat(Integer.parseInt(trust.output().lines().findFirst().orElseThrow()))
                .isGreaterThan(1);
        assertThat(trust.output()).endsWith("/run/openshell/tls/bundle.pem\n");
        assertThat(probes.output()).isEmpty();
    }

    @Test
    void aDeviceSocketLikeDevLogIsNotInTheSandboxDev() throws Exception {
        AgentShell.Result dev = attack.sh("ls -A /dev");

        assertThat(dev.output().lines().toList())
                .containsExactlyInAnyOrder(
                        "fd", "full", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty",
                        "urandom", "zero");
    }

    private static void assertNobodyConnected() throws IOException {
        for (HostSocket socket : sockets) {
            assertThat(socket.accepted.get())
                    .as("connections to " + socket.path)
                    .isZero();
        }
        assertThat(Files.readString(abstractAccepted))
                .as("connections to the abstract socket")
                .isEmpty();
    }

    /** A world-connectable Unix socket on the host that counts the connections it accepts. */
    private static final class HostSocket implements AutoCloseable {

        final Path path;
        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocketChannel server;
        private final Thread acceptor;

        private HostSocket(Path path, ServerSocketChannel server) {
            this.path = path;
            this.server = server;
            this.acceptor = Thread.ofVirtual().start(this::accept);
        }

        static HostSocket listen(Path path) throws IOException {
            Path parent = path.getParent();
            if (!Files.isDirectory(parent)) {
                Files.createDirectories(parent);
                madeDirectories.add(parent);
                Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxrwxrwx"));
            return new HostSocket(path, server);
        }

        private void accept() {
            while (server.isOpen()) {
                try (SocketChannel client = server.accept()) {
                    accepted.incrementAndGet();
                    client.write(ByteBuffer.wrap("hello from the host\n".getBytes()));
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            acceptor.interrupt();
            Files.deleteIfExists(path);
        }
    }
}

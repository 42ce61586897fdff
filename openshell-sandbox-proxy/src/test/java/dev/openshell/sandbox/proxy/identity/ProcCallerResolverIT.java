package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real clients (curl, wget, bash, this JVM) connecting to a real loopback listener. */
class ProcCallerResolverIT {

    private ServerSocket server;
    private Process client;
    private final List<Socket> accepted = new ArrayList<>();

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : accepted) {
            socket.close();
        }
        if (client != null) {
            client.destroyForcibly();
        }
        server.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/";
    }

    private Process start(String... command) throws IOException {
        client = new ProcessBuilder(command).redirectErrorStream(true).start();
        return client;
    }

    /** Accepts and resolves; the connection stays open (so the client lives on) until the test ends. */
    private CallerIdentity acceptAndResolve(CallerResolver resolver) throws IOException {
        Socket socket = server.accept();
        accepted.add(socket);
        return resolver.resolve((InetSocketAddress) socket.getRemoteSocketAddress(), (InetSocketAddress)
                socket.getLocalSocketAddress());
    }

    private static String real(String path) throws IOException {
        return Path.of(path).toRealPath().toString();
    }

    @Test
    void curlStartedByAShellIsTheCallerAndTheShellItsParent() throws Exception {
        Process shell = start("bash", "-c", "curl -s --max-time 5 " + url() + " >/dev/null; true");

        CallerIdentity id = acceptAndResolve(ProcCallerResolver.forOwnNamespace());

        assertThat(id.binary()).isEqualTo(real("/usr/bin/curl"));
        assertThat(id.ancestors().getFirst()).isEqualTo(real("/bin/bash"));
        assertThat(ProcessHandle.of(id.pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                .contains(shell.pid());
        // this JVM started the shell, so it is an ancestor too
        assertThat(id.ancestors().get(1))
                .isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/exe")).toString());
        assertThat(id.sha256()).isEqualTo(sha256(Path.of("/usr/bin/curl")));
    }

    @Test
    @RequiresTool("/usr/bin/wget")
    void wgetIsIdentifiedAsWget() throws Exception {
        Path wget = Path.of("/usr/bin/wget");
        start(wget.toString(), "-q", "-T", "5", "-t", "1", "-O", "/dev/null", url());

        CallerIdentity id = acceptAndResolve(ProcCallerResolver.forOwnNamespace());

        assertThat(id.binary()).isEqualTo(real("/usr/bin/wget"));
        assertThat(id.pid()).isEqualTo((int) client.pid());
    }

    @Test
    void aConnectionFromThisJvmResolvesToTheJavaBinary() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            CallerIdentity id = acceptAndResolve(ProcCallerResolver.forOwnNamespace());

            assertThat(id.pid()).isEqualTo(ProcessHandle.current().pid());
            Path exe = Files.readSymbolicLink(Path.of("/proc/self/exe"));
            assertThat(id.binary()).isEqualTo(exe.toString());
            assertThat(id.sha256()).isEqualTo(sha256(exe));
        }
    }

    @Test
    void theNetTcpTablesGiveTheSameAnswerAsSockDiag() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            Socket peer = server.accept();
            accepted.add(peer);
            InetSocketAddress client = (InetSocketAddress) peer.getRemoteSocketAddress();
            InetSocketAddress proxy = (InetSocketAddress) peer.getLocalSocketAddress();
            ProcCallerResolver resolver = ProcCallerResolver.forOwnNamespace();

            assertThat(resolver.socketLookup()).isEqualTo("sock_diag");
            assertThat(resolver.withTableLookup().resolve(client, proxy)).isEqualTo(resolver.resolve(client, proxy));
        }
    }

    @Test
    void descriptorAndPathReadsGiveTheSameAnswer() throws Exception {
        start("bash", "-c", "curl -s --max-time 5 " + url() + " >/dev/null; sleep 30");
        Socket peer = server.accept();
        accepted.add(peer);
        InetSocketAddress client = (InetSocketAddress) peer.getRemoteSocketAddress();
        InetSocketAddress proxy = (InetSocketAddress) peer.getLocalSocketAddress();
        try (ProcCallerResolver descriptors = ProcCallerResolver.forOwnNamespace();
                ProcCallerResolver paths = descriptors.withPathReads()) {
            assertThat(descriptors.processReads()).isEqualTo("descriptors");
            assertThat(paths.processReads()).isEqualTo("paths");

            CallerIdentity scanned = descriptors.resolve(client, proxy);
            assertThat(scanned.binary()).isEqualTo(real("/usr/bin/curl"));
            assertThat(paths.resolve(client, proxy)).isEqualTo(scanned);
            // the second time from the recent owner, on the event loop's path
            assertThat(descriptors.resolveQuickly(client, proxy)).isEqualTo(scanned);
            assertThat(paths.resolveQuickly(client, proxy)).isEqualTo(scanned);

            ProcCallerResolver.Stats stats = descriptors.stats();
            assertThat(stats.resolves()).isEqualTo(2);
            assertThat(stats.quickAnswers()).isEqualTo(1);
            assertThat(stats.scans()).isEqualTo(1);
            assertThat(stats.fdProbes()).isEqualTo(2); // the scan's find, confirmed; then the recorded fd
        }
    }

    @Test
    void ipv6AndDualStackConnectionsAreResolved() throws Exception {
        ProcCallerResolver resolver = ProcCallerResolver.forOwnNamespace();
        // a dual-stack listener sees an IPv4 client through an IPv6 socket
        try (ServerSocket dual = new ServerSocket(0);
                ServerSocket v6 = new ServerSocket(0, 10, InetAddress.getByName("::1"))) {
            dual.setSoTimeout(10_000);
            v6.setSoTimeout(10_000);
            for (ServerSocket listener : new ServerSocket[] {dual, v6}) {
                String host = listener == v6 ? "::1" : "127.0.0.1";
                try (Socket socket = new Socket(InetAddress.getByName(host), listener.getLocalPort());
                        Socket peer = listener.accept()) {
                    InetSocketAddress client = (InetSocketAddress) peer.getRemoteSocketAddress();
                    InetSocketAddress proxy = (InetSocketAddress) peer.getLocalSocketAddress();
                    assertThat(resolver.resolve(client, proxy).pid())
                            .as(host)
                            .isEqualTo(ProcessHandle.current().pid());
                    assertThat(resolver.withTableLookup().resolve(client, proxy).pid())
                            .as(host)
                            .isEqualTo(ProcessHandle.current().pid());
                }
            }
        }
    }

    @Test
    void theProcessTreeRootIsTheLastAncestorAndOutsidersAreUnknown() throws Exception {
        // the shell outlives curl so the tree root still exists for the second lookup
        Process shell = start("bash", "-c", "curl -s --max-time 5 " + url() + " >/dev/null; sleep 30");
        int self = (int) ProcessHandle.current().pid();
        ProcCallerResolver tree = ProcCallerResolver.forNamespaceOf(self, (int) shell.pid());

        CallerIdentity id = acceptAndResolve(tree);
        assertThat(id.binary()).isEqualTo(real("/usr/bin/curl"));
        assertThat(id.ancestors()).containsExactly(real("/bin/bash"));

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            assertThatThrownBy(() -> acceptAndResolve(tree))
                    .isInstanceOfSatisfying(
                            IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_UNKNOWN))
                    .hasMessageContaining("is held by no process in the process tree of pid " + shell.pid());
        }
    }

    @Test
    void aClientThatAlreadyExitedIsUnknown() throws Exception {
        // bash connects and exits at once; the connection waits in the accept queue
        Process shell = start("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort());
        assertThat(shell.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(() -> acceptAndResolve(ProcCallerResolver.forOwnNamespace()))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_UNKNOWN))
                .hasMessageContaining("-> 127.0.0.1:" + server.getLocalPort());
    }

    @Test
    @RequiresTool("/usr/bin/wget")
    void aBinaryReplacedAfterFirstUseIsRefused(@TempDir Path dir) throws Exception {
        Path wget = Path.of("/usr/bin/wget");
        Path tool = dir.resolve("fetch");
        Files.copy(Path.of("/usr/bin/curl"), tool);
        ProcCallerResolver resolver = ProcCallerResolver.forOwnNamespace();

        start(tool.toString(), "-s", "--max-time", "5", url());
        CallerIdentity first = acceptAndResolve(resolver);
        assertThat(first.binary()).isEqualTo(tool.toRealPath().toString());
        accepted.getLast().close();
        assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();

        // the same path now holds different bytes (still a working HTTP client)
        Files.copy(wget, tool, StandardCopyOption.REPLACE_EXISTING);
        start(tool.toString(), "-q", "-T", "5", "-t", "1", "-O", "/dev/null", url());

        assertThatThrownBy(() -> acceptAndResolve(resolver))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BINARY_CHANGED))
                .hasMessageContaining(tool.toRealPath() + " changed since it was first seen (sha256 "
                        + sha256(Path.of("/usr/bin/curl")).substring(0, 12));
    }

    @Test
    void aLongRunningClientsNextConnectionIsAnsweredQuicklyAndExactly() throws Exception {
        ProcCallerResolver resolver = ProcCallerResolver.forOwnNamespace();
        int port = server.getLocalPort();
        // one shell, two connections in turn (the second on the descriptor the first had); only
        // builtins, so the shell never forks or execs
        start(
                "bash",
                "-c",
                "exec 3<>/dev/tcp/127.0.0.1/" + port + "; read -t 10 -u 3 x; exec 3>&-; "
                        + "exec 3<>/dev/tcp/127.0.0.1/" + port + "; read -t 30 -u 3 x");
        Socket first = server.accept();
        accepted.add(first);
        InetSocketAddress firstClient = (InetSocketAddress) first.getRemoteSocketAddress();
        InetSocketAddress local = (InetSocketAddress) first.getLocalSocketAddress();
        assertThat(resolver.resolveQuickly(firstClient, local)).isNull(); // nobody recent yet
        CallerIdentity slow = resolver.resolve(firstClient, local);
        assertThat(slow.pid()).isEqualTo(client.pid());
        first.getOutputStream().write('\n');
        resolver.released(firstClient);

        Socket second = server.accept();
        accepted.add(second);
        InetSocketAddress secondClient = (InetSocketAddress) second.getRemoteSocketAddress();
        CallerIdentity quick = resolver.resolveQuickly(secondClient, local);
        assertThat(quick).isNotNull();
        assertThat(quick.pid()).isEqualTo(client.pid());
        assertThat(quick).isEqualTo(resolver.resolve(secondClient, local));

        // another program is not a recent owner: no quick answer, and resolve names it
        Process other = new ProcessBuilder("/usr/bin/curl", "-s", "--max-time", "5", url())
                .redirectErrorStream(true)
                .start();
        try {
            Socket third = server.accept();
            accepted.add(third);
            InetSocketAddress thirdClient = (InetSocketAddress) third.getRemoteSocketAddress();
            assertThat(resolver.resolveQuickly(thirdClient, local)).isNull();
            CallerIdentity curl = resolver.resolve(thirdClient, local);
            assertThat(curl.pid()).isEqualTo(other.pid());
            assertThat(curl.binary()).isEqualTo(real("/usr/bin/curl"));
        } finally {
            other.destroyForcibly();
        }
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

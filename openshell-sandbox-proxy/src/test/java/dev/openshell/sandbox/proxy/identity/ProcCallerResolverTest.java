package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver over a fixture proc tree: pid 100 (sh) is the sandbox root, 101 (curl) its child
 * holding socket 1002, 50 an unrelated process outside the tree that holds socket 2001.
 */
class ProcCallerResolverTest {

    @TempDir
    Path dir;

    private Path proc;
    private Path bin;
    private final InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 41906);
    private final InetSocketAddress proxy = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3128);

    @BeforeEach
    void fixture() throws IOException {
        proc = Files.createDirectories(dir.resolve("proc"));
        bin = Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(proc.resolve("net"));
        copy("tcp.txt", proc.resolve("net/tcp"));
        copy("tcp6.txt", proc.resolve("net/tcp6"));
        Files.writeString(bin.resolve("sh"), "shell bytes");
        Files.writeString(bin.resolve("curl"), "curl bytes v1");
        Files.writeString(bin.resolve("other"), "other bytes");
        process(1, 0, "init", bin.resolve("other"));
        process(100, 1, "sh", bin.resolve("sh"));
        // a comm with spaces and parentheses must not confuse the PPid parser
        process(101, 100, "cu) (rl", bin.resolve("curl"));
        process(50, 1, "other", bin.resolve("other"));
        Files.writeString(proc.resolve("100/task/100/children"), "101 ");
        Files.createSymbolicLink(proc.resolve("101/fd/0"), Path.of("pipe:[77]"));
        Files.createSymbolicLink(proc.resolve("101/fd/3"), Path.of("socket:[1002]"));
        Files.createSymbolicLink(proc.resolve("50/fd/7"), Path.of("socket:[2001]"));
    }

    private void copy(String fixture, Path to) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/identity/" + fixture)) {
            Files.write(to, in.readAllBytes());
        }
    }

    private void process(int pid, int ppid, String comm, Path exe) throws IOException {
        Path p = Files.createDirectories(proc.resolve(Integer.toString(pid)));
        Files.createDirectories(p.resolve("fd"));
        Files.createDirectories(p.resolve("task").resolve(Integer.toString(pid)));
        writeStat(pid, ppid, comm, 1000L + pid);
        Files.createSymbolicLink(p.resolve("exe"), exe);
    }

    /** A real-shaped stat line: state, ppid, ... and the start time as field 22. */
    private void writeStat(int pid, int ppid, String comm, long startTime) throws IOException {
        Files.writeString(
                proc.resolve(pid + "/stat"),
                pid + " (" + comm + ") S " + ppid + " " + pid + " 0 0 -1 4194304 10 0 0 0 1 1 0 0 20 0 1 0 " + startTime
                        + " 1000 100\n");
    }

    private void relink(Path link, Path target) throws IOException {
        Files.delete(link);
        Files.createSymbolicLink(link, target);
    }

    private ProcCallerResolver treeResolver() {
        return new ProcCallerResolver(proc, OptionalInt.empty(), OptionalInt.of(100), new BinaryTrust());
    }

    @Test
    void resolvesTheSocketOwnerItsBinaryAndAncestorsUpToTheRoot() throws IOException {
        CallerIdentity id = treeResolver().resolve(client, proxy);

        assertThat(id.pid()).isEqualTo(101);
        assertThat(id.binary()).isEqualTo(bin.resolve("curl").toString());
        assertThat(id.ancestors()).containsExactly(bin.resolve("sh").toString());
        assertThat(id.sha256()).isEqualTo(sha256("curl bytes v1"));
    }

    @Test
    void withoutARootTheWholeHostIsScannedAndAncestorsStopBeforePidOne() {
        ProcCallerResolver resolver = ProcCallerResolver.forOwnNamespace().withProcRoot(proc);

        CallerIdentity id = resolver.resolve(client, proxy);
        assertThat(id.pid()).isEqualTo(101);
        assertThat(id.ancestors()).containsExactly(bin.resolve("sh").toString());

        CallerIdentity outsider =
                resolver.resolve(new InetSocketAddress("10.200.0.2", 54321), new InetSocketAddress("10.200.0.1", 3128));
        assertThat(outsider.pid()).isEqualTo(50);
        assertThat(outsider.ancestors()).isEmpty();
    }

    @Test
    void ancestorsEndBelowTheBoundaryExecutable() throws IOException {
        // host JVM (90) -> sandbox launcher (95) -> sh (100) -> curl (101): the JVM lends nothing
        Files.writeString(bin.resolve("java"), "jvm bytes");
        Files.writeString(bin.resolve("openshell-launch"), "launcher bytes");
        process(90, 1, "java", bin.resolve("java"));
        process(95, 90, "openshell-launc", bin.resolve("openshell-launch"));
        writeStat(100, 95, "sh", 1100L);
        ProcCallerResolver anyProcess = ProcCallerResolver.forOwnNamespace().withProcRoot(proc);

        CallerIdentity unbounded = anyProcess.resolve(client, proxy);
        CallerIdentity bounded = anyProcess
                .withAncestorBoundary(bin.resolve("openshell-launch").toString())
                .resolve(client, proxy);

        assertThat(unbounded.ancestors())
                .containsExactly(
                        bin.resolve("sh").toString(),
                        bin.resolve("openshell-launch").toString(),
                        bin.resolve("java").toString());
        assertThat(bounded.ancestors()).containsExactly(bin.resolve("sh").toString());
    }

    @Test
    void aProcessOutsideTheSandboxTreeIsNotAcceptedAsTheCaller() {
        assertThatThrownBy(() -> treeResolver()
                        .resolve(new InetSocketAddress("10.200.0.2", 54321), new InetSocketAddress("10.200.0.1", 3128)))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_UNKNOWN))
                .hasMessageContaining("inode 2001")
                .hasMessageContaining("process tree of pid 100");
    }

    @Test
    void aClosedOrUnknownSocketFailsClosedWithTheAddressesInTheMessage() {
        assertThatThrownBy(() ->
                        treeResolver().resolve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 41907), proxy))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_UNKNOWN))
                .hasMessageContaining("127.0.0.1:41907 -> 127.0.0.1:3128")
                .hasMessageContaining("already closed");
    }

    @Test
    void theDeletedMarkerIsStrippedFromTheBinaryPath() throws IOException {
        Path deleted = bin.resolve("curl (deleted)");
        Files.move(bin.resolve("curl"), deleted);
        Files.delete(proc.resolve("101/exe"));
        Files.createSymbolicLink(proc.resolve("101/exe"), deleted);

        assertThat(treeResolver().resolve(client, proxy).binary())
                .isEqualTo(bin.resolve("curl").toString());
    }

    @Test
    void aBinaryWhoseContentChangedIsRefusedWhileTheOriginalStaysTrusted() throws IOException {
        ProcCallerResolver resolver = treeResolver();
        resolver.resolve(client, proxy);

        Files.writeString(bin.resolve("curl"), "curl bytes v2, longer");

        assertThatThrownBy(() -> resolver.resolve(client, proxy))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BINARY_CHANGED))
                .hasMessageContaining(bin.resolve("curl") + " changed since it was first seen (sha256 "
                        + sha256("curl bytes v1").substring(0, 12) + ".. -> "
                        + sha256("curl bytes v2, longer").substring(0, 12) + "..)")
                .hasMessageContaining("restart the sandbox");

        // restoring the original content is accepted again
        Files.writeString(bin.resolve("curl"), "curl bytes v1");
        assertThat(resolver.resolve(client, proxy).pid()).isEqualTo(101);
    }

    @Test
    void aSwappedAncestorIsRefusedToo() throws IOException {
        ProcCallerResolver resolver = treeResolver();
        resolver.resolve(client, proxy);
        Files.writeString(bin.resolve("sh"), "a different shell");

        assertThatThrownBy(() -> resolver.resolve(client, proxy))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BINARY_CHANGED))
                .hasMessageStartingWith(bin.resolve("sh") + " changed");
    }

    @Test
    void withoutBinaryTrustNoHashIsComputed() {
        CallerIdentity id = treeResolver().withBinaryTrust(null).resolve(client, proxy);
        assertThat(id.sha256()).isNull();
        assertThat(id.pid()).isEqualTo(101);
    }

    @Test
    void fallsBackToAParentScanWhenTheKernelHasNoChildrenFiles() throws IOException {
        Files.delete(proc.resolve("100/task/100/children"));
        assertThat(treeResolver().resolve(client, proxy).pid()).isEqualTo(101);
    }

    @Test
    void theLowestPidWinsWhenASocketIsSharedThroughFork() throws IOException {
        process(102, 101, "sleep", bin.resolve("other"));
        Files.writeString(proc.resolve("101/task/101/children"), "102\n");
        Files.createSymbolicLink(proc.resolve("102/fd/3"), Path.of("socket:[1002]"));

        assertThat(treeResolver().resolve(client, proxy).pid()).isEqualTo(101);
    }

    @Test
    void aVanishedSandboxRootFailsClosed() {
        ProcCallerResolver resolver =
                new ProcCallerResolver(proc, OptionalInt.empty(), OptionalInt.of(4242), new BinaryTrust());
        assertThatThrownBy(() -> resolver.resolve(client, proxy))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_UNKNOWN))
                .hasMessage("the sandbox root process 4242 has exited");
    }

    @Test
    void aVanishedNamespaceProcessFailsClosed() {
        ProcCallerResolver resolver =
                ProcCallerResolver.forNamespaceOf(4242, 100).withProcRoot(proc);
        assertThatThrownBy(() -> resolver.resolve(client, proxy))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_UNKNOWN))
                .hasMessageContaining("has pid 4242 exited?");
    }

    @Test
    void aRecentOwnerIsFoundWithoutScanningTheTree() throws IOException {
        ProcCallerResolver resolver = treeResolver();
        CallerIdentity first = resolver.resolve(client, proxy);
        // the tree no longer lists 101: only the recent-owner hint can find it
        Files.writeString(proc.resolve("100/task/100/children"), "");

        assertThat(resolver.resolve(client, proxy)).isEqualTo(first);
        // a fresh resolver (no hints) has to scan, and finds nobody
        assertThatThrownBy(() -> treeResolver().resolve(client, proxy)).isInstanceOf(IdentityException.class);
    }

    @Test
    void aRecycledPidIsNotTakenForTheRecentOwner() throws IOException {
        ProcCallerResolver resolver = treeResolver();
        resolver.resolve(client, proxy);
        // 101 exited; a new process got pid 101 (other start time, other binary) and holds the socket
        writeStat(101, 100, "other", 999_999);
        relink(proc.resolve("101/exe"), bin.resolve("other"));

        CallerIdentity id = resolver.resolve(client, proxy);
        assertThat(id.pid()).isEqualTo(101);
        assertThat(id.binary()).isEqualTo(bin.resolve("other").toString());
        assertThat(id.sha256()).isEqualTo(sha256("other bytes"));
    }

    @Test
    void aSocketInodeReusedByAnotherProcessIsAttributedToThatProcess() throws IOException {
        ProcCallerResolver resolver = treeResolver();
        assertThat(resolver.resolve(client, proxy).pid()).isEqualTo(101);
        // curl closed its socket; a sibling now holds a socket with the same inode on the same descriptor
        Files.delete(proc.resolve("101/fd/3"));
        process(102, 100, "other", bin.resolve("other"));
        Files.writeString(proc.resolve("100/task/100/children"), "101 102");
        Files.createSymbolicLink(proc.resolve("102/fd/3"), Path.of("socket:[1002]"));

        CallerIdentity id = resolver.resolve(client, proxy);
        assertThat(id.pid()).isEqualTo(102);
        assertThat(id.binary()).isEqualTo(bin.resolve("other").toString());
    }

    @Test
    void anExecByTheRecentOwnerIsSeenAtOnce() throws IOException {
        ProcCallerResolver resolver = treeResolver();
        resolver.resolve(client, proxy);
        // same pid, same start time, new program
        relink(proc.resolve("101/exe"), bin.resolve("other"));

        assertThat(resolver.resolve(client, proxy).binary())
                .isEqualTo(bin.resolve("other").toString());
    }

    @Test
    void aBinarySwappedUnderARecentOwnerIsStillRefused() throws IOException {
        ProcCallerResolver resolver = treeResolver();
        resolver.resolve(client, proxy);
        Files.writeString(bin.resolve("curl"), "curl bytes v2, longer");

        assertThatThrownBy(() -> resolver.resolve(client, proxy))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BINARY_CHANGED));
    }

    @Test
    void aRecentOwnerThatLeftTheTreeIsNoLongerAccepted() throws IOException {
        ProcCallerResolver resolver = treeResolver();
        resolver.resolve(client, proxy);
        // its parent exited and it was re-parented to init: outside the sandbox tree
        writeStat(101, 1, "cu) (rl", 1101);
        Files.writeString(proc.resolve("100/task/100/children"), "");

        assertThatThrownBy(() -> resolver.resolve(client, proxy))
                .isInstanceOfSatisfying(
                        IdentityException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_UNKNOWN))
                .hasMessageContaining("process tree of pid 100");
    }

    static String sha256(String content) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}

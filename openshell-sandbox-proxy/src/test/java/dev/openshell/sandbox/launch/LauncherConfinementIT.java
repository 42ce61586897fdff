package dev.openshell.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.LandlockPolicy.Compatibility;
import dev.openshell.testkit.RequiresLandlock;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the real launcher as root and checks what the agent can and cannot do. */
@RequiresRoot
@RequiresLandlock
class LauncherConfinementIT {

    private static final String PYTHON = "/usr/bin/python3";

    private Path workdir;
    private Path unlisted;

    @BeforeEach
    void setUp() throws IOException {
        SandboxUser.ensureExists();
        workdir = Launched.sandboxOwnedDirectory(Path.of("/tmp"), "openshell-launch-it-");
        unlisted = Files.createTempDirectory("openshell-launch-unlisted-");
        Files.setPosixFilePermissions(unlisted, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(unlisted.resolve("secret"), "s3cret");
        Files.setPosixFilePermissions(unlisted.resolve("secret"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterEach
    void tearDown() throws IOException {
        Launched.deleteRecursively(workdir);
        Launched.deleteRecursively(unlisted);
    }

    private Launched launch(String... program) {
        return launch(Compatibility.HARD_REQUIREMENT, List.of(), program);
    }

    private Launched launch(Compatibility compatibility, List<String> extraReadOnly, String... program) {
        LaunchSpec spec = Launched.spec(workdir, compatibility, extraReadOnly);
        return Launched.run(spec.command(List.of(program)));
    }

    @Test
    void runsAsTheSandboxUserNotRoot() {
        Launched result = launch("id", "-u");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout().strip()).isNotEqualTo("0").matches("[1-9][0-9]*");
    }

    @Test
    void capabilityBoundingSetIsEmpty() {
        Launched result = launch("cat", "/proc/self/status");

        assertThat(result.stdout())
                .contains("CapBnd:\t0000000000000000")
                .contains("CapEff:\t0000000000000000")
                .contains("CapAmb:\t0000000000000000");
    }

    @Test
    void writingOutsideReadWriteIsDenied() {
        String outside = "/var/tmp/openshell-launch-it-" + UUID.randomUUID();

        Launched result = launch("sh", "-c", "echo x > " + outside);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Permission denied");
        assertThat(Path.of(outside)).doesNotExist();
    }

    @Test
    void readingAnUnlistedPathIsDenied() {
        // World-readable, so only Landlock stands in the way.
        Launched result = launch("cat", unlisted.resolve("secret").toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Permission denied");
        assertThat(result.stdout()).doesNotContain("s3cret");
    }

    @Test
    void writingInsideReadWriteWorks() throws IOException {
        Launched result = launch("sh", "-c", "echo hello > written && cat written");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("hello\n");
        assertThat(workdir.resolve("written")).hasContent("hello");
    }

    @Test
    @RequiresTool(PYTHON)
    void packetRawVsockAndNonRouteNetlinkSocketsAreRefusedWithEperm() {
        Launched result = launch(PYTHON, "-c", """
                import errno, socket
                def attempt(name, family, kind, proto=0):
                    try:
                        socket.socket(family, kind, proto).close()
                        print(name, "allowed")
                    except OSError as e:
                        print(name, errno.errorcode[e.errno])
                attempt("packet", socket.AF_PACKET, socket.SOCK_RAW)
                attempt("raw", socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
                attempt("vsock", 40, socket.SOCK_STREAM)
                attempt("netlink_audit", socket.AF_NETLINK, socket.SOCK_RAW, 9)
                attempt("netlink_route", socket.AF_NETLINK, socket.SOCK_RAW, 0)
                attempt("tcp", socket.AF_INET, socket.SOCK_STREAM)
                """);

        assertThat(result.stdout().lines())
                .containsExactly(
                        "packet EPERM",
                        "raw EPERM",
                        "vsock EPERM",
                        "netlink_audit EPERM",
                        "netlink_route allowed",
                        "tcp allowed");
    }

    @Test
    @RequiresTool(PYTHON)
    void terminalInputInjectionIsRefused() {
        // TIOCSTI on one's controlling terminal needs no privilege; only seccomp refuses it.
        Launched result = launch(PYTHON, "-c", """
                import errno, fcntl, os, termios
                master, slave = os.openpty()
                pid = os.fork()
                if pid == 0:
                    os.setsid()
                    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                    try:
                        fcntl.ioctl(slave, termios.TIOCSTI, b"x")
                        print("allowed", flush=True)
                    except OSError as e:
                        print(errno.errorcode[e.errno], flush=True)
                    os._exit(0)
                os.waitpid(pid, 0)
                """);

        assertThat(result.stdout().strip()).as(result.stderr()).isEqualTo("EPERM");
    }

    @Test
    @RequiresTool(PYTHON)
    void memfdsDescriptorTheftAndPersonalitiesAreRefused() {
        Launched result = launch(PYTHON, "-c", """
                import ctypes, errno, os
                libc = ctypes.CDLL(None, use_errno=True)
                def report(name, rc):
                    print(name, "allowed" if rc >= 0 else errno.errorcode[ctypes.get_errno()])
                report("memfd_create", libc.syscall(319, b"x", 0))
                report("memfd_secret", libc.syscall(447, 0))
                pidfd = os.pidfd_open(os.getppid() if os.getppid() > 0 else os.getpid())
                report("pidfd_getfd", libc.syscall(438, pidfd, 0, 0))
                report("personality_no_aslr", libc.personality(0x0040000))
                report("personality_read_implies_exec", libc.personality(0x0400000))
                report("personality_query", libc.personality(0xffffffff))
                report("personality_linux", libc.personality(0))
                """);

        assertThat(result.stdout().lines())
                .as(result.stderr())
                .containsExactly(
                        "memfd_create ENOSYS",
                        "memfd_secret ENOSYS",
                        "pidfd_getfd EPERM",
                        "personality_no_aslr EPERM",
                        "personality_read_implies_exec EPERM",
                        "personality_query allowed",
                        "personality_linux allowed");
    }

    @Test
    void newNetworkNamespaceIsRefused() {
        Launched result = launch("unshare", "-n", "true");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Operation not permitted");
    }

    @Test
    void userNamespaceIsRefusedToo() {
        // Unprivileged users may create user namespaces on this kernel: only seccomp stops it.
        Launched result = launch("unshare", "-U", "true");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Operation not permitted");
    }

    @Test
    @RequiresTool(PYTHON)
    void mountSystemCallFailsWithEperm() {
        // mount(8) checks the uid before calling mount(2), so call it directly.
        Launched result = launch(PYTHON, "-c", """
                import ctypes, errno
                libc = ctypes.CDLL(None, use_errno=True)
                rc = libc.mount(b"none", b"%s", b"tmpfs", 0, None)
                print(rc, errno.errorcode[ctypes.get_errno()])
                """.formatted(workdir));

        assertThat(result.stdout().strip()).isEqualTo("-1 EPERM");
    }

    @Test
    void hardRequirementWithAMissingPathFailsWithAClearMessage() {
        Launched result = launch(Compatibility.HARD_REQUIREMENT, List.of("/nonexistent-openshell"), "true");

        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.stderr())
                .isEqualTo(
                        "openshell-launch: landlock: /nonexistent-openshell: No such file or directory (hard_requirement)\n");
    }

    @Test
    void bestEffortWithAMissingPathWarnsAndRuns() {
        Launched result = launch(Compatibility.BEST_EFFORT, List.of("/nonexistent-openshell"), "echo", "ran");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("ran\n");
        assertThat(result.stderr())
                .startsWith("openshell-launch: warning: landlock: /nonexistent-openshell: No such file or directory");
    }

    @Test
    void exitCodePassesThrough() {
        assertThat(launch("sh", "-c", "exit 7").exitCode()).isEqualTo(7);
    }

    @Test
    void missingProgramExits127() {
        Launched result = launch("openshell-no-such-program");

        assertThat(result.exitCode()).isEqualTo(127);
        assertThat(result.stderr()).startsWith("openshell-launch: exec openshell-no-such-program:");
    }

    @Test
    void rootIsRefused() {
        Launched result = Launched.run(List.of(LauncherBinary.locate().toString(), "--user", "root", "--", "true"));

        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.stderr()).isEqualTo("openshell-launch: --user root: refusing to run as root\n");
    }
}

package dev.openshell.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.ProcessPolicy;
import dev.openshell.testkit.RequiresLandlock;
import dev.openshell.testkit.RequiresRoot;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's own root: only what the policy lists plus the sandbox's own places; no host socket;
 * nothing writable executable (unless the policy opts out); no core dumps.
 */
@RequiresRoot
@RequiresLandlock
class LauncherViewIT {

    private Path hostWorkdir;
    private Path agentWorkdir;
    private Path unlisted;

    @BeforeEach
    void setUp() throws IOException {
        SandboxUser.ensureExists();
        hostWorkdir = Launched.sandboxOwnedDirectory(Path.of("/var/tmp"), "openshell-view-it-");
        agentWorkdir = Path.of("/tmp/work-" + UUID.randomUUID());
        unlisted = Files.createDirectories(Path.of("/var/lib/openshell-view-it-" + UUID.randomUUID()));
        Files.setPosixFilePermissions(unlisted, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void tearDown() throws IOException {
        Launched.deleteRecursively(hostWorkdir);
        Launched.deleteRecursively(unlisted);
    }

    private Launched run(boolean execFromWritable, String script) {
        return Launched.run(
                Launched.ownRoot(hostWorkdir, agentWorkdir, execFromWritable).command(List.of("sh", "-c", script)));
    }

    @Test
    void theRootHoldsOnlyTheListedPathsAndTheSandboxsOwnPlaces() {
        Launched result = run(
                false,
                "ls -A / /dev /run; ls -A /tmp | grep -vc work-; test -e " + unlisted
                        + " || echo unlisted-missing; test -e /var || echo var-missing; test -e /sys || echo sys-missing");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout())
                .startsWith(
                        "/:\nbin\ndev\netc\nlib\nlib64\nproc\nrun\ntmp\nusr\n\n/dev:\n"
                                + "fd\nfull\nnull\nptmx\npts\nrandom\nshm\nstderr\nstdin\nstdout\ntty\nurandom\nzero\n\n/run:\n")
                .endsWith("0\nunlisted-missing\nvar-missing\nsys-missing\n");
    }

    @Test
    void symlinkedSystemDirectoriesStaySymlinks() {
        Launched result = run(false, "readlink /bin /lib; readlink -f /bin/sh");

        assertThat(result.stdout()).isEqualTo("usr/bin\nusr/lib\n/usr/bin/dash\n");
    }

    @Test
    void aHostSocketUnderAnUnlistedPathIsNotThere() throws IOException {
        Path socket = unlisted.resolve("agent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));

            Launched result = Launched.run(Launched.ownRoot(hostWorkdir, agentWorkdir, false)
                    .command(List.of(
                            "/usr/bin/python3",
                            "-c",
                            "import socket, sys\ntry:\n    socket.socket(socket.AF_UNIX).connect(sys.argv[1])\n"
                                    + "    print('connected')\nexcept OSError as e:\n    print(e.errno)\n",
                            socket.toString())));

            assertThat(result.stdout().strip()).isEqualTo("2");
        }
    }

    @Test
    void writablePlacesAreNoexecAndTheSystemIsNot() {
        Launched result = run(
                false,
                "for d in /tmp /dev/shm " + agentWorkdir + "; do cp /bin/true $d/t && chmod +x $d/t"
                        + " && $d/t 2>/dev/null; echo $d $?; /lib64/ld-linux-x86-64.so.2 $d/t 2>/dev/null; echo $d loader $?;"
                        + " done; /bin/true; echo system $?");

        assertThat(result.stdout().lines())
                .containsExactly(
                        "/tmp 126",
                        "/tmp loader 127",
                        "/dev/shm 126",
                        "/dev/shm loader 127",
                        agentWorkdir + " 126",
                        agentWorkdir + " loader 127",
                        "system 0");
    }

    @Test
    void aReadWritePathOfThePolicyIsNoexecToo() throws IOException {
        Path data = Files.createDirectories(unlisted.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        LaunchSpec spec = new LaunchSpec(
                        agentWorkdir,
                        new FilesystemPolicy(true, Launched.SYSTEM_READ_ONLY, List.of(data.toString())),
                        new LandlockPolicy(LandlockPolicy.Compatibility.HARD_REQUIREMENT),
                        ProcessPolicy.DEFAULT,
                        null,
                        false,
                        List.of())
                .withPrivateMounts(List.of(new LaunchSpec.Bind(hostWorkdir, agentWorkdir)));

        Launched result = Launched.run(spec.command(List.of(
                "sh", "-c", "cp /bin/true " + data + "/t && chmod +x " + data + "/t && " + data + "/t; echo $?")));

        assertThat(result.stdout().strip()).as(result.stderr()).isEqualTo("126");
    }

    @Test
    void execFromWritableOptsOut() {
        Launched result = run(true, "cp /bin/true /tmp/t && /tmp/t; echo tmp $?; cp /bin/true t && ./t; echo work $?");

        assertThat(result.stdout()).isEqualTo("tmp 0\nwork 0\n");
    }

    @Test
    void coreDumpsAreOffSoftAndHardEvenWithoutPrivateMounts() {
        Launched own = run(false, "ulimit -c; ulimit -H -c; ulimit -c 1 || echo refused");
        Launched plain = Launched.run(Launched.spec(hostWorkdir, LandlockPolicy.Compatibility.BEST_EFFORT, List.of())
                .command(List.of("sh", "-c", "ulimit -c; ulimit -H -c")));

        assertThat(own.stdout()).isEqualTo("0\n0\nrefused\n");
        assertThat(plain.stdout()).isEqualTo("0\n0\n");
    }

    @Test
    void theTrustBundleBindIsReadOnly() throws IOException {
        Path tls = Files.createDirectories(unlisted.resolve("tls"));
        Files.writeString(tls.resolve("bundle.pem"), "pem\n");
        Files.setPosixFilePermissions(tls.resolve("bundle.pem"), PosixFilePermissions.fromString("rw-rw-rw-"));
        LaunchSpec spec = new LaunchSpec(
                        agentWorkdir,
                        new FilesystemPolicy(
                                true,
                                List.of("/usr", "/lib", "/lib64", "/bin", "/etc", "/run/openshell/tls"),
                                List.of()),
                        new LandlockPolicy(LandlockPolicy.Compatibility.HARD_REQUIREMENT),
                        ProcessPolicy.DEFAULT,
                        null,
                        false,
                        List.of())
                .withPrivateMounts(List.of(
                        new LaunchSpec.Bind(hostWorkdir, agentWorkdir),
                        LaunchSpec.Bind.readOnly(tls, Path.of("/run/openshell/tls"))));

        Launched result = Launched.run(spec.command(
                List.of("sh", "-c", "cat /run/openshell/tls/bundle.pem; echo x >> /run/openshell/tls/bundle.pem")));

        assertThat(result.stdout()).isEqualTo("pem\n");
        assertThat(result.exitCode()).isNotZero();
        assertThat(tls.resolve("bundle.pem")).hasContent("pem");
    }
}

package dev.openshell.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.ProcessPolicy;
import dev.openshell.testkit.RequiresLandlock;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher's private mount namespace and its entry into a network namespace. */
@RequiresRoot
@RequiresLandlock
class LauncherNamespacesIT {

    private Path hostWorkdir;
    private Path hostFile;

    @BeforeEach
    void setUp() throws IOException {
        SandboxUser.ensureExists();
        hostWorkdir = Launched.sandboxOwnedDirectory(Path.of("/tmp"), "openshell-launch-it-");
        Files.writeString(hostWorkdir.resolve("input"), "from the host\n");
    }

    @AfterEach
    void tearDown() throws IOException {
        Launched.deleteRecursively(hostWorkdir);
        if (hostFile != null) {
            Files.deleteIfExists(hostFile);
        }
    }

    /** The host workdir appears at {@code agentWorkdir}; /tmp is private and writable. */
    private LaunchSpec privateSpec(Path agentWorkdir) {
        return new LaunchSpec(
                        agentWorkdir,
                        new FilesystemPolicy(true, Launched.SYSTEM_READ_ONLY, List.of("/tmp")),
                        new LandlockPolicy(LandlockPolicy.Compatibility.HARD_REQUIREMENT),
                        ProcessPolicy.DEFAULT,
                        null,
                        false,
                        List.of())
                .withPrivateMounts(List.of(new LaunchSpec.Bind(hostWorkdir, agentWorkdir)));
    }

    @Test
    void tmpIsPrivateInBothDirections() throws IOException {
        String name = "openshell-launch-it-" + UUID.randomUUID();
        hostFile = Files.writeString(Path.of("/tmp", name), "host");
        Path agentWorkdir = Path.of("/tmp/work-" + UUID.randomUUID());

        Launched result = Launched.run(privateSpec(agentWorkdir)
                .command(List.of(
                        "sh",
                        "-c",
                        "test ! -e /tmp/" + name + " && echo inside > /tmp/" + name + "-inside && ls /tmp")));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines())
                .containsExactlyInAnyOrder(
                        name + "-inside", agentWorkdir.getFileName().toString());
        assertThat(Path.of("/tmp", name + "-inside")).doesNotExist();
        assertThat(agentWorkdir).doesNotExist();
    }

    @Test
    void workdirIsBindMountedAndWritable() {
        Path agentWorkdir = Path.of("/tmp/work-" + UUID.randomUUID());

        Launched result = Launched.run(privateSpec(agentWorkdir)
                .command(List.of("sh", "-c", "pwd && cat input && echo from the agent > output")));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(agentWorkdir + "\nfrom the host\n");
        assertThat(hostWorkdir.resolve("output")).hasContent("from the agent");
    }

    @Test
    @RequiresTool("ip")
    void entersTheGivenNetworkNamespace() {
        String name = "oslaunch-it-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(Launched.run(List.of("ip", "netns", "add", name)).exitCode()).isZero();
        try {
            LaunchSpec spec = Launched.spec(hostWorkdir, LandlockPolicy.Compatibility.HARD_REQUIREMENT, List.of())
                    .withNetns(Path.of("/var/run/netns", name));

            Launched result = Launched.run(spec.command(List.of("cat", "/proc/net/dev")));

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            // A fresh namespace has only the loopback device.
            assertThat(result.stdout()).contains("lo:").doesNotContain("eth0");
        } finally {
            Launched.run(List.of("ip", "netns", "delete", name));
        }
    }
}

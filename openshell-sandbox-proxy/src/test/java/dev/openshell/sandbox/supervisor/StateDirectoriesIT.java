package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.spec.SandboxSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may see a sandbox's state directory while it runs and after it ends, and what is never taken over. */
@SandboxHost
class StateDirectoriesIT {

    @Test
    void onlyRootPassesWhileItRunsAndAfterwardsAndTheAgentStillReadsItsTrustBundle() throws Exception {
        SandboxSpec spec = SandboxFixture.keptSpec(SandboxFixture.systemPolicy(), AgentShell.COMMAND)
                .withSsh(false);
        SandboxSupervisor sandbox = SandboxSupervisor.start(spec, SandboxFixture.options(Map.of()));
        Path state = sandbox.stateDir();
        try {
            // The agent's own root shows the bundle through a bind the launcher made as root.
            AgentShell.Result bundle = new AgentShell(sandbox.workdir())
                    .run("id -u; head -1 /run/openshell/tls/ca.pem; head -1 \"$SSL_CERT_FILE\"");

            assertThat(bundle.exitCode()).as(bundle.output()).isZero();
            assertThat(bundle.output().lines().toList()).hasSize(3).first().isNotEqualTo("0");
            assertThat(bundle.output()).contains("-----BEGIN CERTIFICATE-----");
            assertThat(mode(Path.of("/run/openshell"))).isEqualTo("rwx--x--x");
            assertThat(mode(state)).isEqualTo("rwx------");
            assertThat(Files.getAttribute(state, "unix:uid")).isEqualTo(0);
            assertThat(Files.getAttribute(state, "unix:gid")).isEqualTo(0);
        } finally {
            sandbox.close();
        }
        try {
            assertThat(mode(state)).isEqualTo("rwx------");
            assertThat(Files.getAttribute(state, "unix:gid")).isEqualTo(0);
            assertThat(state.resolve(SandboxStatus.FILE)).exists();
        } finally {
            StaleSandboxes.deleteRecursively(state);
        }
    }

    @Test
    void aStateDirThatIsNotASandboxsIsNeitherReownedNorUsed() throws Exception {
        Path foreign = Files.createTempDirectory(Path.of("/var/tmp"), "openshell-foreign-");
        try {
            Files.writeString(foreign.resolve("notes.txt"), "mine");
            Files.setAttribute(foreign, "unix:uid", 4242);
            Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwxr-xr-x"));
            SandboxSpec spec =
                    SandboxSpec.of(null, List.of("true")).withSsh(false).withStateDir(foreign);

            assertThatThrownBy(() -> SandboxSupervisor.start(spec, SandboxFixture.options(Map.of())))
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("holds no sandbox state");

            assertThat(Files.getAttribute(foreign, "unix:uid")).isEqualTo(4242);
            assertThat(mode(foreign)).isEqualTo("rwxr-xr-x");
            assertThat(foreign.resolve("notes.txt")).hasContent("mine");
            try (var entries = Files.list(foreign)) {
                assertThat(entries.toList()).containsExactly(foreign.resolve("notes.txt"));
            }
        } finally {
            StaleSandboxes.deleteRecursively(foreign);
        }
    }

    private static String mode(Path dir) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
    }
}

package dev.openshell.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.ProcessPolicy;
import dev.openshell.sandbox.launch.LaunchSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of the SSH server that need no root: environment, forward targets, key files, endpoint. */
class SshServerPartsTest {

    @TempDir
    Path dir;

    @Test
    void clientVariablesCannotSteerTheRootLauncher() {
        assertThat(ConfinedProcesses.accepted("LANG")).isTrue();
        assertThat(ConfinedProcesses.accepted("TERM")).isTrue();
        assertThat(ConfinedProcesses.accepted("LD_PRELOAD")).isFalse();
        assertThat(ConfinedProcesses.accepted("LD_LIBRARY_PATH")).isFalse();
        assertThat(ConfinedProcesses.accepted("GCONV_PATH")).isFalse();
        assertThat(ConfinedProcesses.accepted("GLIBC_TUNABLES")).isFalse();
        assertThat(ConfinedProcesses.accepted("HOME")).isFalse();
        assertThat(ConfinedProcesses.accepted("BAD-NAME")).isFalse();
        assertThat(ConfinedProcesses.accepted("A=B")).isFalse();
    }

    @Test
    void sessionEnvironmentLayersDefaultsSandboxAndClient() {
        LaunchSpec spec = new LaunchSpec(
                Path.of("/work"),
                new FilesystemPolicy(true, List.of("/usr"), List.of()),
                new LandlockPolicy(LandlockPolicy.Compatibility.BEST_EFFORT),
                ProcessPolicy.DEFAULT,
                null,
                false,
                List.of());
        ConfinedProcesses processes = new ConfinedProcesses(
                spec, Path.of("/launcher"), Map.of("HTTP_PROXY", "http://proxy", "LANG", "de_DE"));

        Map<String, String> env = processes.environment(
                Map.of("LANG", "fr_FR.UTF-8", "LD_PRELOAD", "/tmp/evil.so", "USER", "root", "TERM", "xterm"));

        assertThat(env)
                .containsEntry("HTTP_PROXY", "http://proxy")
                .containsEntry("LANG", "fr_FR.UTF-8")
                .containsEntry("TERM", "xterm")
                .containsEntry("USER", "sandbox")
                .containsEntry("HOME", "/work")
                .containsEntry("PATH", ConfinedProcesses.DEFAULT_PATH)
                .doesNotContainKey("LD_PRELOAD");
        assertThat(processes.confined(List.of("true")).getFirst()).isEqualTo("/launcher");
    }

    @Test
    void forwardTargetsAreLiteralAddressesOrLocalhost() {
        assertThat(SandboxForwarding.target("127.0.0.1")).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(SandboxForwarding.target("LOCALHOST")).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(SandboxForwarding.target("10.200.3.2")).isNotNull();
        assertThat(SandboxForwarding.target("::1")).isNotNull();
        assertThat(SandboxForwarding.target("[::1]")).isNotNull();
        assertThat(SandboxForwarding.target("example.com")).isNull();
        assertThat(SandboxForwarding.target("1e100.net")).isNull();
        assertThat(SandboxForwarding.target("")).isNull();
        assertThat(SandboxForwarding.target(null)).isNull();
    }

    @Test
    void keysAreWrittenOwnerOnlyAndReadBack() throws IOException {
        Path file = dir.resolve("ssh/client_key");

        KeyPair created = SshKeys.loadOrCreate(file, "test");
        KeyPair again = SshKeys.loadOrCreate(file, "test");

        assertThat(KeyUtils.compareKeys(created.getPublic(), again.getPublic())).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        assertThat(SshKeys.publicLine(created.getPublic(), "c"))
                .startsWith("ecdsa-sha2-nistp256 ")
                .endsWith(" c");
    }

    @Test
    void endpointRoundTripsAndRendersAnSshConfig() throws IOException {
        Path ssh = dir.resolve("ssh");
        KeyPair host = SshKeys.loadOrCreate(ssh.resolve(SshEndpoint.HOST_KEY), "");
        SshKeys.writeText(ssh.resolve("host_key.pub"), SshKeys.publicLine(host.getPublic(), "") + "\n");
        SshKeys.writeText(ssh.resolve(SshEndpoint.ENDPOINT), "127.0.0.1 40022\n");

        SshEndpoint endpoint = SshEndpoint.read(ssh);

        assertThat(endpoint).isEqualTo(new SshEndpoint("127.0.0.1", 40022, ssh));
        assertThat(KeyUtils.compareKeys(endpoint.hostKey(), host.getPublic())).isTrue();
        assertThat(endpoint.knownHostsName()).isEqualTo("[127.0.0.1]:40022");
        assertThat(endpoint.sshConfig("openshell-x"))
                .contains("Host openshell-x\n")
                .contains("Port 40022")
                .contains("IdentityFile " + ssh.resolve("client_key"))
                .contains("StrictHostKeyChecking yes");
    }
}

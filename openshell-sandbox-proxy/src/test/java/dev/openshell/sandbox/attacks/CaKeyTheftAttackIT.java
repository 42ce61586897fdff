package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.proxy.tls.HostCa;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent goes after the host CA's key, which signs the leaves of every sandbox's proxy on this
 * host: by its path (under {@code /run} and through the {@code /var/run} link), by searching every
 * place it can read for a private key, through its own trust directory, through {@code /proc}, and
 * from an SSH exec session. None of it may yield the key or any private key; the agent sees the CA's
 * certificate only.
 */
@SandboxHost
class CaKeyTheftAttackIT {

    private static final Path KEY_FILE = HostCa.DEFAULT_DIR.resolve("host-ca.pem");

    private static AttackSandbox attack;
    private static String keyBody;

    @BeforeAll
    static void start() throws Exception {
        attack = AttackSandbox.start(SandboxFixture.systemPolicy());
        String pem = Files.readString(KEY_FILE);
        // The end of the key's base64: its start is the PKCS#8 header every P-256 key shares.
        String base64 = pem.substring(pem.indexOf('\n') + 1, pem.indexOf("-----END PRIVATE KEY-----"))
                .replace("\n", "");
        keyBody = base64.substring(base64.length() - 40);
    }

    @AfterAll
    static void stop() throws Exception {
        if (attack != null) {
            attack.close();
        }
    }

    @Test
    void theKeyFileIsOutOfReachByItsPath() throws Exception {
        for (String path : List.of(
                KEY_FILE.toString(),
                "/var" + KEY_FILE,
                "/proc/1/root" + KEY_FILE,
                "/proc/self/root" + KEY_FILE,
                "/proc/1/cwd/../../../../" + KEY_FILE)) {
            AgentShell.Result read = attack.sh("cat " + path + " 2>&1; ls -la " + HostCa.DEFAULT_DIR + " 2>&1");

            assertNoKey(path, read.output());
        }
    }

    @Test
    void noPrivateKeyIsAnywhereTheAgentCanRead() throws Exception {
        AgentShell.Result search =
                attack.sh("grep -rls -D skip -e '-----BEGIN PRIVATE KEY-----' -e '" + keyBody + "' / "
                        + "--exclude-dir=proc --exclude-dir=sys --exclude-dir=usr --exclude-dir=lib 2>/dev/null;"
                        + " find / -xdev -name 'host-ca*' 2>/dev/null; echo searched");

        assertThat(search.output()).endsWith("searched\n");
        // The agent shell's own script files (q/c<N>.sh and their output) hold the patterns.
        assertThat(search.output()
                        .lines()
                        .filter(line -> !line.equals("searched"))
                        .filter(line -> !line.matches(".*/q/c\\d+\\.sh(\\.out)?")))
                .as("files holding a private key")
                .isEmpty();
    }

    @Test
    void theTrustDirectoryHoldsTheCertificateOnly() throws Exception {
        AgentShell.Result trust = attack.sh("cat /run/openshell/tls/ca.pem; ls /run/openshell/tls");

        assertThat(trust.output()).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE");
        assertNoKey("trust directory", trust.output());
    }

    @Test
    void anSshExecSessionCannotReachItEither() {
        AgentShell.Result read = attack.ssh(
                "cat " + KEY_FILE + " /var" + KEY_FILE + " 2>&1; ls " + HostCa.DEFAULT_DIR
                        + " 2>&1; grep -rls -D skip -e '-----BEGIN PRIV''ATE KEY-----' /run /var/run /tmp /dev/shm 2>/dev/null; true");

        assertNoKey("ssh exec", read.output());
        assertThat(read.output().lines().filter(line -> !line.contains("No such file or directory")))
                .as("nothing found")
                .isEmpty();
    }

    private static void assertNoKey(String attempt, String output) {
        assertThat(output).as(attempt).doesNotContain("BEGIN PRIVATE KEY").doesNotContain(keyBody);
    }
}

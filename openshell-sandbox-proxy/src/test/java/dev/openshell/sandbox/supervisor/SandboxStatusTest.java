package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxStatusTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsThroughStatusJson() throws IOException {
        SandboxStatus status = SandboxStatus.provisioning("sb-abc123", true)
                .withNetwork(4026532001L, "http://10.200.0.1:3128")
                .withAgent(4242)
                .withGeneration(3)
                .withPhase(SandboxPhase.ERROR, "sandbox setup failed: \"x\"\nline two")
                .withExit(125, "exited");

        status.write(dir);

        assertThat(SandboxStatus.read(dir)).contains(status);
        assertThat(Files.readString(dir.resolve(SandboxStatus.FILE))).contains("\"phase\":\"Error\"");
        assertThat(Files.getPosixFilePermissions(dir.resolve(SandboxStatus.FILE)))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void thisProcessIsAliveAndAnUnknownPidIsNot() {
        SandboxStatus mine = SandboxStatus.provisioning("sb-abc123", false);
        SandboxStatus dead = new SandboxStatus(
                "sb-x",
                SandboxPhase.READY,
                null,
                Integer.MAX_VALUE,
                0,
                0,
                0,
                0,
                null,
                null,
                null,
                false,
                mine.updated());

        assertThat(mine.supervisorAlive()).isTrue();
        assertThat(dead.supervisorAlive()).isFalse();
    }

    @Test
    void garbageIsNoStatus() throws IOException {
        Files.writeString(dir.resolve(SandboxStatus.FILE), "{not json");

        assertThat(SandboxStatus.read(dir)).isEmpty();
        assertThat(SandboxStatus.read(dir.resolve("missing"))).isEmpty();
    }
}

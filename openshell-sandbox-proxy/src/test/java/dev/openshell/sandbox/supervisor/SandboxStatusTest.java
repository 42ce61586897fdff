package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.log.DecisionLinesTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
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
        Map<String, Object> json = DecisionLinesTest.parse(Files.readString(dir.resolve(SandboxStatus.FILE)));
        assertThat(json.keySet())
                .containsExactly(
                        "id",
                        "phase",
                        "reason",
                        "supervisor_pid",
                        "supervisor_start",
                        "agent_pid",
                        "netns_inode",
                        "policy_generation",
                        "proxy",
                        "exit_code",
                        "exit_reason",
                        "keep_state",
                        "updated");
        assertThat(json)
                .containsEntry("phase", "Error")
                .containsEntry("reason", "sandbox setup failed: \"x\"\nline two")
                .containsEntry("agent_pid", 4242)
                .containsEntry("exit_code", 125)
                .containsEntry("updated", status.updated().toString());
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
    void nullsAreWrittenAndFieldsOfANewerVersionAreIgnored() {
        SandboxStatus fresh = SandboxStatus.provisioning("sb-abc123", false);

        assertThat(DecisionLinesTest.parse(fresh.toJson()))
                .containsEntry("reason", null)
                .containsEntry("exit_code", null);
        String newer = fresh.toJson().replace("{", "{\"cgroup\":\"/sys/fs/cgroup/x\",");
        assertThat(SandboxStatus.fromJson(newer)).contains(fresh);
    }

    @Test
    void garbageIsNoStatus() throws IOException {
        Files.writeString(dir.resolve(SandboxStatus.FILE), "{not json");

        assertThat(SandboxStatus.read(dir)).isEmpty();
        assertThat(SandboxStatus.fromJson("{\"id\":\"a\",\"id\":\"b\"}")).isEmpty();
        assertThat(SandboxStatus.fromJson("{\"id\":\"sb-1\",\"phase\":\"Sleeping\"}"))
                .isEmpty();
        assertThat(SandboxStatus.fromJson("[]")).isEmpty();
        assertThat(SandboxStatus.read(dir.resolve("missing"))).isEmpty();
    }
}

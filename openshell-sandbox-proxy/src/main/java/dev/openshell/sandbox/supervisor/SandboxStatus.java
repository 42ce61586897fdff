package dev.openshell.sandbox.supervisor;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.openshell.sandbox.json.SandboxJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A sandbox's state as recorded in {@code status.json} in its state directory: read by {@code
 * openshell-sandbox status}, by the control socket's {@code status}, and by the next supervisor
 * to reclaim what a dead one left behind.
 *
 * @param id the sandbox id
 * @param phase where it is
 * @param reason why it is in {@code Error} (or why it stopped); null otherwise
 * @param supervisorPid the supervising process (a JVM)
 * @param supervisorStart its start time in epoch ms (tells a reused pid apart), 0 when unknown
 * @param agentPid the agent's pid, 0 before launch
 * @param netnsInode the network namespace's inode, 0 before it exists: finds leftover processes
 *     even after the namespace file is gone
 * @param policyGeneration the policy generation the proxy enforces
 * @param proxy the agent's proxy URL, or null
 * @param exitCode the agent's exit code once it exited, else null
 * @param exitReason how it ended ({@code exited}, {@code signal 9}, {@code stopped by the
 *     supervisor}, {@code sandbox setup failed: ...}), else null
 * @param keepState whether status and logs outlive the sandbox
 * @param updated when this record was written
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SandboxStatus(
        String id,
        SandboxPhase phase,
        String reason,
        long supervisorPid,
        long supervisorStart,
        long agentPid,
        long netnsInode,
        long policyGeneration,
        String proxy,
        Integer exitCode,
        String exitReason,
        boolean keepState,
        Instant updated) {

    /** The file name inside the state directory. */
    public static final String FILE = "status.json";

    /** A first record for a sandbox this process supervises. */
    static SandboxStatus provisioning(String id, boolean keepState) {
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new SandboxStatus(
                id,
                SandboxPhase.PROVISIONING,
                null,
                self.pid(),
                start,
                0,
                0,
                0,
                null,
                null,
                null,
                keepState,
                Instant.now());
    }

    SandboxStatus withPhase(SandboxPhase next, String why) {
        return new SandboxStatus(
                id,
                next,
                why,
                supervisorPid,
                supervisorStart,
                agentPid,
                netnsInode,
                policyGeneration,
                proxy,
                exitCode,
                exitReason,
                keepState,
                Instant.now());
    }

    SandboxStatus withNetwork(long inode, String proxyUrl) {
        return new SandboxStatus(
                id,
                phase,
                reason,
                supervisorPid,
                supervisorStart,
                agentPid,
                inode,
                policyGeneration,
                proxyUrl,
                exitCode,
                exitReason,
                keepState,
                Instant.now());
    }

    SandboxStatus withAgent(long pid) {
        return new SandboxStatus(
                id,
                phase,
                reason,
                supervisorPid,
                supervisorStart,
                pid,
                netnsInode,
                policyGeneration,
                proxy,
                exitCode,
                exitReason,
                keepState,
                Instant.now());
    }

    SandboxStatus withGeneration(long generation) {
        return new SandboxStatus(
                id,
                phase,
                reason,
                supervisorPid,
                supervisorStart,
                agentPid,
                netnsInode,
                generation,
                proxy,
                exitCode,
                exitReason,
                keepState,
                Instant.now());
    }

    SandboxStatus withExit(int code, String how) {
        return new SandboxStatus(
                id,
                phase,
                reason,
                supervisorPid,
                supervisorStart,
                agentPid,
                netnsInode,
                policyGeneration,
                proxy,
                code,
                how,
                keepState,
                Instant.now());
    }

    /** Whether the supervisor that wrote this record still runs (same pid, same start time). */
    @JsonIgnore
    public boolean supervisorAlive() {
        return ProcessHandle.of(supervisorPid)
                .filter(ProcessHandle::isAlive)
                .map(p -> supervisorStart == 0
                        || p.info()
                                .startInstant()
                                .map(s -> Math.abs(s.toEpochMilli() - supervisorStart) <= 2000)
                                .orElse(true))
                .orElse(false);
    }

    /** The record as one JSON object (every field present, {@code null} when unset). */
    public String toJson() {
        return SandboxJson.mapper().writeValueAsString(this);
    }

    /** Parses {@link #toJson()}; empty when the text is not a status record. */
    public static Optional<SandboxStatus> fromJson(String text) {
        try {
            SandboxStatus status = SandboxJson.mapper().readValue(text, SandboxStatus.class);
            return status != null && status.id() != null && status.phase() != null && status.updated() != null
                    ? Optional.of(status)
                    : Optional.empty();
        } catch (JacksonException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Reads {@code dir/status.json}; empty when missing or unreadable. */
    public static Optional<SandboxStatus> read(Path stateDir) {
        try {
            return fromJson(Files.readString(stateDir.resolve(FILE), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes {@code dir/status.json} atomically, readable by everyone (it holds no secret). */
    void write(Path stateDir) {
        Path target = stateDir.resolve(FILE);
        try {
            Path tmp = Files.createTempFile(stateDir, ".status", ".tmp");
            try {
                Files.writeString(tmp, toJson() + "\n", StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}

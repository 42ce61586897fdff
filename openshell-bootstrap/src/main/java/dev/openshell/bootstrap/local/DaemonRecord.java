package dev.openshell.bootstrap.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.json.ApiJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What {@code daemon.json} in a local gateway's data directory records about the process started
 * there, so a later command can find it, tell whether it still runs (the pid alone could have been
 * reused: the process's start time must match too) and stop it.
 *
 * @param processStart the process's start time as the kernel reports it, to tell a reused pid apart
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DaemonRecord(
        long pid, Instant processStart, int port, String bind, String driver, String jar, Instant startedAt) {

    static final String FILE = "daemon.json";

    static Optional<DaemonRecord> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(ApiJson.lenient().readValue(Files.readAllBytes(file), DaemonRecord.class));
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        }
    }

    void write(Path dataDir) {
        dev.openshell.bootstrap.pki.PemFiles.writeAtomically(
                dataDir.resolve(FILE),
                ApiJson.strict().writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n",
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    /** The process, if it still runs and is the one recorded (not another that got the pid). */
    public Optional<ProcessHandle> process() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> processStart == null
                        || p.info().startInstant().map(processStart::equals).orElse(true));
    }

    /** The base URL clients use: {@code https://127.0.0.1:8443} (a wildcard bind is reached on loopback). */
    public java.net.URI endpoint() {
        return LocalGateways.endpoint(bind, port);
    }
}

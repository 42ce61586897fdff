package dev.openshell.cli.forward;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One running forward, as kept in {@code <config>/forwards/<local_port>.json}.
 *
 * @param pid the background {@code ssh} that holds the local port
 * @param log where that ssh writes its messages
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ForwardRecord(
        int localPort, String gateway, String sandbox, int remotePort, long pid, Instant startedAt, String log) {

    /** Whether the process is still the ssh this record started (a reused pid is not). */
    public boolean running() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(cmd -> cmd.contains("openshell-" + sandbox) && cmd.contains(":" + localPort + ":"))
                .isPresent();
    }
}

package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What a command run with {@link ExecRequest} did.
 *
 * @param exitCode its exit status (128 + signal number when a signal ended it; 124 when it timed out)
 * @param timedOut whether it was killed because its timeout passed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecResult(String stdout, String stderr, int exitCode, boolean timedOut) {

    public ExecResult {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }
}

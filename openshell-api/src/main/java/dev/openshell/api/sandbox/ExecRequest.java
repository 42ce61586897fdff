package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.json.DurationJson;
import dev.openshell.api.validation.TextRules;
import dev.openshell.api.validation.Violations;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Runs a command in a Ready sandbox ({@code POST /api/v1/sandboxes/{name}/exec}) and waits for it.
 *
 * @param stdin text fed to the command's standard input, then end-of-file; absent: empty input
 * @param timeout how long the command may run before it is killed; absent: the gateway's default
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecRequest(
        List<String> command,
        String stdin,

        @JsonSerialize(using = DurationJson.Writer.class) @JsonDeserialize(using = DurationJson.Reader.class)
        Duration timeout) {

    public static final int MAX_STDIN = 1024 * 1024;

    public ExecRequest {
        command = TextRules.copyOf("command", command);
    }

    public static ExecRequest of(List<String> command) {
        return new ExecRequest(command, null, null);
    }

    /** Throws a {@code validation_failed} problem listing every invalid field. */
    public void validate() {
        Violations v = new Violations();
        if (command.isEmpty()) {
            v.add("command", "must name a program to run");
        } else if (command.getFirst().isEmpty()) {
            v.add("command[0]", "the program must not be empty");
        }
        TextRules.checkArgs(v, "command", command, SandboxCreateRequest.MAX_ARGS, SandboxCreateRequest.MAX_ARG_LENGTH);
        if (stdin != null && stdin.length() > MAX_STDIN) {
            v.add("stdin", stdin.length() + " characters; at most " + MAX_STDIN + " (stream larger input)");
        }
        v.throwIfAny();
    }
}

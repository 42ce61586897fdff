package dev.openshell.sandbox.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * The answer to a {@link HostRequest}: {@code ok}, or a failure with its code and one line.
 *
 * @param workloads for {@code list}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostAnswer(boolean ok, String code, String error, List<Workload> workloads) {

    public static HostAnswer success() {
        return new HostAnswer(true, null, null, null);
    }

    public static HostAnswer failure(String code, String error) {
        return new HostAnswer(false, code, error, null);
    }

    public static HostAnswer listing(List<Workload> workloads) {
        return new HostAnswer(true, null, null, List.copyOf(workloads));
    }

    /** A sandbox the host has: running, stopped (workspace kept), or exited with a code. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Workload(String sandboxId, State state, Integer exitCode) {}

    /** A workload's state. */
    public enum State {
        RUNNING,
        STOPPED,
        EXITED;

        @JsonValue
        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

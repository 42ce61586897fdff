package dev.openshell.gateway.compute;

/**
 * A workload as its driver sees it.
 *
 * @param exitCode the main process's exit status once it exited; null otherwise
 */
public record Workload(String sandboxId, State state, Integer exitCode) {

    public enum State {
        RUNNING,
        STOPPED,
        EXITED
    }
}

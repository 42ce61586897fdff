package dev.openshell.sandbox.proxy;

/**
 * The outcome of {@link EgressProxy#replacePolicy}: what the supervisor acks to the gateway.
 *
 * @param loaded whether the new generation is now active
 * @param generation the generation that was offered
 * @param activeGeneration the generation active after the call (the old one when not loaded)
 * @param error why the generation was rejected, or {@code null}
 * @param closedConnections tunnels closed because the new generation no longer admits them
 */
public record ReloadResult(
        boolean loaded, long generation, long activeGeneration, String error, int closedConnections) {

    static ReloadResult loaded(long generation, int closed) {
        return new ReloadResult(true, generation, generation, null, closed);
    }

    static ReloadResult failed(long generation, long active, String error) {
        return new ReloadResult(false, generation, active, error, 0);
    }
}

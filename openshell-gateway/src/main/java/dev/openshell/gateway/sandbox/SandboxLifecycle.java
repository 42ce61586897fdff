package dev.openshell.gateway.sandbox;

import static dev.openshell.api.sandbox.SandboxPhase.DELETING;
import static dev.openshell.api.sandbox.SandboxPhase.ERROR;
import static dev.openshell.api.sandbox.SandboxPhase.PROVISIONING;
import static dev.openshell.api.sandbox.SandboxPhase.READY;
import static dev.openshell.api.sandbox.SandboxPhase.STARTING;
import static dev.openshell.api.sandbox.SandboxPhase.STOPPED;
import static dev.openshell.api.sandbox.SandboxPhase.STOPPING;

import dev.openshell.api.sandbox.SandboxPhase;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox state machine: {@code Provisioning → Ready}, {@code Ready → Stopping → Stopped →
 * Starting → Ready}, any phase {@code → Deleting}, any live phase {@code → Error} (with a reason),
 * {@code Error → Starting} (try again) and {@code Ready → Stopped} when the agent's main process
 * exits on its own. Nothing else: a late event from the driver that would move a sandbox backwards
 * is ignored.
 */
public final class SandboxLifecycle {

    private static final Map<SandboxPhase, Set<SandboxPhase>> NEXT = new EnumMap<>(SandboxPhase.class);

    static {
        NEXT.put(PROVISIONING, EnumSet.of(READY, ERROR, DELETING, STOPPED));
        NEXT.put(READY, EnumSet.of(STOPPING, STOPPED, ERROR, DELETING));
        NEXT.put(STOPPING, EnumSet.of(STOPPED, ERROR, DELETING));
        NEXT.put(STOPPED, EnumSet.of(STARTING, DELETING, ERROR));
        NEXT.put(STARTING, EnumSet.of(READY, ERROR, DELETING, STOPPED));
        NEXT.put(ERROR, EnumSet.of(STARTING, DELETING));
        NEXT.put(DELETING, EnumSet.of(ERROR));
    }

    private SandboxLifecycle() {}

    public static boolean allows(SandboxPhase from, SandboxPhase to) {
        return NEXT.getOrDefault(from, Set.of()).contains(to);
    }

    /** Phases in which a workload is expected to exist and run (or be on its way). */
    public static boolean expectsRunningWorkload(SandboxPhase phase) {
        return phase == READY || phase == PROVISIONING || phase == STARTING || phase == STOPPING;
    }
}

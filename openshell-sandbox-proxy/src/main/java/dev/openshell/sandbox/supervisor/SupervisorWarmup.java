package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.linux.Libc;
import dev.openshell.sandbox.linux.ProcSyscalls;
import dev.openshell.sandbox.proxy.HostAddressCheck;
import dev.openshell.sandbox.proxy.shared.Transport;
import java.time.Instant;
import java.util.List;

/**
 * Readies, on a thread of its own, what a supervisor's start needs on its critical path and
 * costs CPU the first time in a JVM, none of it needing a decision: the JSON mapper and its
 * (de)serializers for the status and log records, Netty's native transport, and the native
 * bindings' downcall handles (each links generated code). A process that is about to {@link
 * SandboxSupervisor#start} a sandbox (such as {@code openshell run}) calls {@link #begin()} first
 * thing, so this overlaps its own start-up (argument parsing, policy loading) on a second core.
 *
 * <p>Only class initialisation and pure computations: if the start needs one of them before it is
 * done, the JVM makes it wait for the one in progress rather than doing it twice. A failure here
 * changes nothing: the start meets the same failure and reports it.
 */
public final class SupervisorWarmup {

    private SupervisorWarmup() {}

    /** Starts the warm-up on a daemon thread; returns at once. */
    public static void begin() {
        Thread.ofPlatform().daemon().name("openshell-warmup").start(SupervisorWarmup::run);
    }

    private static void run() {
        List<Runnable> steps = List.of(
                () -> SandboxStatus.fromJson(
                        SandboxStatus.provisioning("warmup", false).toJson()),
                () -> SandboxLog.lineOf(new SandboxLog.Entry(Instant.now(), SandboxLog.SUPERVISOR, "warmup")),
                Transport::detect,
                () -> HostAddressCheck.open(List.of()).close(),
                () -> initialize(ProcSyscalls.class),
                () -> initialize(Libc.class));
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException | LinkageError e) {
                // the start itself meets and reports it
            }
        }
    }

    private static void initialize(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}

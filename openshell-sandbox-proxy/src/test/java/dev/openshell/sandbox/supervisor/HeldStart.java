package dev.openshell.sandbox.supervisor;

import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.spec.SandboxSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A child JVM for tests: starts a sandbox whose agent is {@code sleep <marker>} and holds the start
 * after one step, printing {@code held at <step> <id> <state dir>}, for a test to send SIGTERM
 * there; the start goes on once the JVM shuts down. Arguments: the step, the marker.
 */
final class HeldStart {

    private HeldStart() {}

    public static void main(String[] args) throws Exception {
        String heldStep = args[0];
        SandboxSpec spec =
                SandboxSpec.of(null, List.of("sleep", args[1])).withPolicyYaml(SandboxFixture.systemPolicy());
        SandboxSupervisor.start(spec, SandboxFixture.options(Map.of()), step -> {
            if (step.equals(heldStep)) {
                System.out.println("held at " + step + " " + spec.id() + " " + spec.stateDir());
                System.out.flush();
                awaitShutdown();
            }
        });
        System.out.println("started");
    }

    /** Until this JVM shuts down (SIGTERM), then on at once: provisioning races the teardown. */
    private static void awaitShutdown() {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(10))
                .until(HeldStart::shuttingDown);
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}

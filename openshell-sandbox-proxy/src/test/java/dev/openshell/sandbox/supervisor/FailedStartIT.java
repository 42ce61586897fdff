package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.spec.SandboxSpec;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A start that fails half-way, after any of its steps, undoes exactly what was made: nothing of the
 * sandbox is left (agent, namespace, nft table, veth, subnet and uid claims, cgroup, state
 * directory), and the failure is the caller's exception. So does a SIGTERM while the start runs.
 */
@SandboxHost
class FailedStartIT {

    @ParameterizedTest
    @ValueSource(
            strings = {"reclaim", "state", "network", "policy", "guard", "proxy", "dns", "launch", "ssh", "control"})
    void aStartFailingAfterAnyStepLeavesNothing(String failingStep) {
        String marker = agentMarker();
        SandboxSpec spec = SandboxSpec.of(null, List.of("sleep", marker)).withPolicyYaml(SandboxFixture.systemPolicy());
        AtomicReference<SandboxTraces> traces = new AtomicReference<>();

        assertThatThrownBy(() -> SandboxSupervisor.start(spec, SandboxFixture.options(Map.of()), step -> {
                    if (step.equals(failingStep)) {
                        traces.set(SandboxTraces.of(spec.id(), spec.stateDir(), marker));
                        throw new IllegalStateException("forced failure after " + step);
                    }
                }))
                .isInstanceOfSatisfying(
                        SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.START_FAILED))
                .hasMessageContaining("forced failure after " + failingStep);

        assertThat(traces.get()).as("the start reached " + failingStep).isNotNull();
        traces.get().assertNoneLeft();
    }

    @ParameterizedTest
    @ValueSource(strings = {"reclaim", "state", "network", "proxy", "launch", "ssh"})
    void aSigtermWhileStartingLeavesNothing(String heldStep) throws Exception {
        // Until start returns nobody holds the supervisor to close it; the JVM's exit must still undo.
        String marker = agentMarker();
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        HeldStart.class.getName(),
                        heldStep,
                        marker)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String held = out.readLine();
            assertThat(held).as("the child's first line").startsWith("held at " + heldStep + " ");
            String[] words = held.split(" ");
            SandboxTraces traces = SandboxTraces.of(words[3], Path.of(words[4]), marker);

            child.destroy(); // SIGTERM

            assertThat(child.waitFor(60, TimeUnit.SECONDS))
                    .as("the child exits")
                    .isTrue();
            traces.assertNoneLeft();
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code 3000.123456}: a sleep of its own, found on the command line of the agent only. */
    static String agentMarker() {
        return "3000." + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    }
}

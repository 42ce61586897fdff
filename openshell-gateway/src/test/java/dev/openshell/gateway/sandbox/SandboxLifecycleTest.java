package dev.openshell.gateway.sandbox;

import static dev.openshell.api.sandbox.SandboxPhase.DELETING;
import static dev.openshell.api.sandbox.SandboxPhase.ERROR;
import static dev.openshell.api.sandbox.SandboxPhase.PROVISIONING;
import static dev.openshell.api.sandbox.SandboxPhase.READY;
import static dev.openshell.api.sandbox.SandboxPhase.STARTING;
import static dev.openshell.api.sandbox.SandboxPhase.STOPPED;
import static dev.openshell.api.sandbox.SandboxPhase.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.sandbox.SandboxPhase;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class SandboxLifecycleTest {

    @Test
    void theDocumentedPathsAreAllowed() {
        assertThat(SandboxLifecycle.allows(PROVISIONING, READY)).isTrue();
        assertThat(SandboxLifecycle.allows(READY, STOPPING)).isTrue();
        assertThat(SandboxLifecycle.allows(STOPPING, STOPPED)).isTrue();
        assertThat(SandboxLifecycle.allows(STOPPED, STARTING)).isTrue();
        assertThat(SandboxLifecycle.allows(STARTING, READY)).isTrue();
        assertThat(SandboxLifecycle.allows(READY, STOPPED))
                .as("the main process exited")
                .isTrue();
        assertThat(SandboxLifecycle.allows(ERROR, STARTING)).as("try again").isTrue();
    }

    @Test
    void everyPhaseCanBeDeletedAndEveryLivePhaseCanFail() {
        for (SandboxPhase p : EnumSet.complementOf(EnumSet.of(DELETING))) {
            assertThat(SandboxLifecycle.allows(p, DELETING))
                    .as(p + " -> Deleting")
                    .isTrue();
        }
        for (SandboxPhase p : EnumSet.of(PROVISIONING, READY, STOPPING, STOPPED, STARTING, DELETING)) {
            assertThat(SandboxLifecycle.allows(p, ERROR)).as(p + " -> Error").isTrue();
        }
    }

    @Test
    void lateEventsCannotMoveASandboxBackwards() {
        assertThat(SandboxLifecycle.allows(READY, PROVISIONING)).isFalse();
        assertThat(SandboxLifecycle.allows(STOPPED, READY))
                .as("running after a stop")
                .isFalse();
        assertThat(SandboxLifecycle.allows(DELETING, READY)).isFalse();
        assertThat(SandboxLifecycle.allows(ERROR, READY))
                .as("only through Starting")
                .isFalse();
        assertThat(SandboxLifecycle.allows(STOPPING, STARTING)).isFalse();
        for (SandboxPhase p : SandboxPhase.values()) {
            assertThat(SandboxLifecycle.allows(p, p)).as(p + " -> itself").isFalse();
        }
    }

    @Test
    void workloadsAreExpectedWhileLiveOnly() {
        assertThat(EnumSet.allOf(SandboxPhase.class).stream().filter(SandboxLifecycle::expectsRunningWorkload))
                .containsExactlyInAnyOrder(READY, PROVISIONING, STARTING, STOPPING);
    }
}

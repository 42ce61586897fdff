package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxEndTest {

    private static final SandboxStatus READY =
            SandboxStatus.provisioning("sb-end", false).withAgent(4242).withPhase(SandboxPhase.STOPPING, null);
    private static final List<UndoStack.Failure> NONE = List.of();

    @Test
    void anAgentThatExitedByItselfEndsStoppedWithItsCode() {
        SandboxStatus last =
                SandboxEnd.finalStatus(READY, SandboxPhase.STOPPED, null, new SandboxEnd.Agent(7, null), false, NONE);

        assertThat(last.phase()).isEqualTo(SandboxPhase.STOPPED);
        assertThat(last.reason()).isNull();
        assertThat(last.exitCode()).isEqualTo(7);
        assertThat(last.exitReason()).isEqualTo("exited");
        assertThat(SandboxEnd.event(last)).isEqualTo("stopped; agent exited, exit code 7");
    }

    @Test
    void aLimitHitIsTheReasonAndReadsAsAKillEvenWhenTheAgentGaveUpFirst() {
        SandboxStatus last = SandboxEnd.finalStatus(
                READY, SandboxPhase.STOPPED, null, new SandboxEnd.Agent(2, "pids limit 64 reached"), false, NONE);

        assertThat(last.exitCode()).isEqualTo(137);
        assertThat(last.exitReason()).isEqualTo("pids limit 64 reached");
        assertThat(last.reason()).isEqualTo("pids limit 64 reached");
    }

    @Test
    void aTeardownThatLeftSomethingBehindEndsInErrorNamingTheStep() {
        List<UndoStack.Failure> failures = List.of(
                new UndoStack.Failure("remove the network", new IllegalStateException("nft: busy")),
                new UndoStack.Failure("remove the cgroup", new IllegalStateException("EBUSY")));

        SandboxStatus last = SandboxEnd.finalStatus(
                READY, SandboxPhase.STOPPED, null, new SandboxEnd.Agent(143, null), true, failures);

        assertThat(last.phase()).isEqualTo(SandboxPhase.ERROR);
        assertThat(last.reason()).isEqualTo("teardown incomplete: remove the network: nft: busy");
        assertThat(last.exitReason()).isEqualTo("stopped by the supervisor");
    }

    @Test
    void aFailedStartKeepsItsOwnReasonAndHasNoExitCodeWithoutAnAgent() {
        List<UndoStack.Failure> failures =
                List.of(new UndoStack.Failure("remove the network", new IllegalStateException("nft: busy")));

        SandboxStatus last = SandboxEnd.finalStatus(
                SandboxStatus.provisioning("sb-end", false),
                SandboxPhase.ERROR,
                "landlock: /missing does not exist",
                null,
                false,
                failures);

        assertThat(last.phase()).isEqualTo(SandboxPhase.ERROR);
        assertThat(last.reason()).isEqualTo("landlock: /missing does not exist");
        assertThat(last.exitCode()).isNull();
        assertThat(SandboxEnd.event(last)).isEqualTo("error: landlock: /missing does not exist");
    }

    @Test
    void theLaunchersOwnExitCodesAreASetupFailureOnlyWhenItSaidSo() {
        assertThat(AgentExit.setupFailure(126, false, "seccomp: invalid filter", false))
                .isEqualTo("sandbox setup failed: seccomp: invalid filter");
        assertThat(AgentExit.setupFailure(125, false, null, true))
                .isEqualTo("sandbox setup failed (the launcher's message is above)");
        assertThat(AgentExit.setupFailure(125, false, null, false)).isNull();
        assertThat(AgentExit.setupFailure(126, true, "seccomp: invalid filter", false))
                .isNull();
        assertThat(AgentExit.setupFailure(1, false, "seccomp: invalid filter", false))
                .isNull();
    }
}

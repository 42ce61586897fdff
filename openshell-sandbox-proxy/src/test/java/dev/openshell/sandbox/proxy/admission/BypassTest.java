package dev.openshell.sandbox.proxy.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.DecidingEndpoint;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.log.DecisionLines;
import dev.openshell.sandbox.proxy.log.DecisionLinesTest;
import dev.openshell.sandbox.proxy.log.DecisionRecord;
import dev.openshell.sandbox.proxy.shared.DecisionEntry;
import dev.openshell.sandbox.proxy.shared.DecisionLogger;
import dev.openshell.sandbox.proxy.transparent.TransparentListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BypassTest {

    @Test
    void policyDenialsOfCapturedConnectionsAreLoggedAsBypassFindings() {
        Decision engine = new Decision(
                Verdict.DENY,
                Layer.L4,
                Optional.of(new DecidingEndpoint("gh", 0)),
                Optional.of("destination-guard"),
                "10.0.0.1 is private",
                false,
                Optional.empty());

        Decision logged = Bypass.logged(engine);

        assertThat(logged.rule()).contains("bypass:policy_denied");
        assertThat(logged.policy()).contains("gh");
        assertThat(logged.reason()).isEqualTo("10.0.0.1 is private (rule destination-guard)");
        assertThat(logged.layer()).isEqualTo(Layer.L4);
    }

    @Test
    void admissionsAreMarkedTransparentAndCaptureRefusalsKeepTheirReason() {
        Decision allow = new Decision(
                Verdict.ALLOW,
                Layer.L4,
                Optional.of(new DecidingEndpoint("gh", 1)),
                Optional.of("endpoints[1]"),
                "ok",
                true,
                Optional.empty());
        assertThat(Bypass.logged(allow).rule()).contains("transparent:endpoints[1]");
        assertThat(Bypass.logged(allow).inspect()).isTrue();

        Decision spoof = Bypass.deny(BypassReason.NAME_MISMATCH, "SNI names a but ...");
        assertThat(Bypass.logged(spoof)).isEqualTo(spoof);
    }

    @Test
    void recordsOfTheTransparentListenerCarryTheirMode() {
        List<DecisionRecord> records = new ArrayList<>();
        DecisionLogger logger = new DecisionLogger("sb", records::add).withMode(TransparentListener.MODE);

        CallerIdentity ssh = new CallerIdentity(7, "/usr/bin/ssh", List.of("/usr/bin/bash"), "0".repeat(64));
        logger.log(DecisionEntry.connection(
                Optional.of(ssh), "10.0.0.9", 22, Bypass.deny(BypassReason.SILENT, "nothing"), 3, System.nanoTime()));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.mode()).isEqualTo("transparent");
            assertThat(r.binary()).isEqualTo("/usr/bin/ssh");
            assertThat(r.pid()).isEqualTo(7);
            assertThat(DecisionLinesTest.parse(DecisionLines.toJson(r)))
                    .containsEntry("rule", "bypass:silent")
                    .containsEntry("verdict", "deny")
                    .containsEntry("mode", "transparent");
        });
        new DecisionLogger("sb", records::add)
                .log(DecisionEntry.connection(Optional.empty(), "h", 1, spoofless(), 1, System.nanoTime()));
        assertThat(DecisionLinesTest.parse(DecisionLines.toJson(records.get(1))))
                .doesNotContainKey("mode");
    }

    private static Decision spoofless() {
        return new Decision(Verdict.ALLOW, Layer.L4, Optional.empty(), Optional.empty(), "ok", false, Optional.empty());
    }
}

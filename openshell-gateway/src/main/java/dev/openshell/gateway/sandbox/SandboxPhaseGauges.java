package dev.openshell.gateway.sandbox;

import dev.openshell.api.sandbox.SandboxPhase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** {@code openshell_sandboxes{phase="Ready"}}: sandboxes per phase, counted every few seconds (not per scrape). */
@Component
class SandboxPhaseGauges {

    private final SandboxRepository sandboxes;
    private final Map<SandboxPhase, AtomicLong> counts = new EnumMap<>(SandboxPhase.class);

    SandboxPhaseGauges(SandboxRepository sandboxes, MeterRegistry meters) {
        this.sandboxes = sandboxes;
        for (SandboxPhase phase : SandboxPhase.values()) {
            AtomicLong count = new AtomicLong();
            counts.put(phase, count);
            Gauge.builder("openshell.sandboxes", count, AtomicLong::get)
                    .description("sandboxes by phase")
                    .tag("phase", phase.wire())
                    .register(meters);
        }
    }

    @Scheduled(fixedDelayString = "PT5S", initialDelayString = "PT0S")
    void refresh() {
        try {
            sandboxes.countByPhase().forEach((phase, n) -> counts.get(phase).set(n));
        } catch (org.springframework.dao.DataAccessException e) {
            // The database is down: /readyz says so; the gauges keep their last values.
        }
    }
}

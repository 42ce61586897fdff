package dev.openshell.gateway.sandbox;

import dev.openshell.api.ApiException;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.ExecResult;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.api.validation.DurationText;
import dev.openshell.gateway.compute.ComputeDrivers;
import dev.openshell.gateway.compute.ExecCommand;
import dev.openshell.gateway.compute.ExecOutcome;
import dev.openshell.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.stereotype.Service;

/** Non-streaming exec: a command in a Ready sandbox, through the driver, with a timeout. */
@Service
public class SandboxExec {

    private final SandboxService sandboxes;
    private final ComputeDrivers drivers;
    private final GatewayProperties.Limits limits;
    private final Timer timer;

    SandboxExec(SandboxService sandboxes, ComputeDrivers drivers, GatewayProperties properties, MeterRegistry meters) {
        this.sandboxes = sandboxes;
        this.drivers = drivers;
        this.limits = properties.limits();
        this.timer = Timer.builder("openshell.exec")
                .description("non-streaming exec round trips")
                .register(meters);
    }

    public ExecResult exec(String name, ExecRequest request) {
        request.validate();
        Duration timeout = request.timeout() == null ? limits.execTimeout() : request.timeout();
        if (timeout.compareTo(limits.maxExecTimeout()) > 0) {
            throw ApiException.invalid(
                    "timeout",
                    DurationText.format(timeout) + " is longer than the maximum "
                            + DurationText.format(limits.maxExecTimeout()));
        }
        SandboxRecord s = sandboxes.require(name);
        if (s.phase() != SandboxPhase.READY) {
            throw SandboxService.notReady(s);
        }
        byte[] stdin = request.stdin() == null ? new byte[0] : request.stdin().getBytes(StandardCharsets.UTF_8);
        ExecOutcome out =
                timer.record(() -> drivers.active().exec(s.id(), new ExecCommand(request.command(), stdin, timeout)));
        return new ExecResult(
                new String(out.stdout(), StandardCharsets.UTF_8),
                new String(out.stderr(), StandardCharsets.UTF_8),
                out.exitCode(),
                out.timedOut());
    }
}

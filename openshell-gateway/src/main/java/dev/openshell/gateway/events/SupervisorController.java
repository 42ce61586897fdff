package dev.openshell.gateway.events;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.policy.PolicyAck;
import dev.openshell.api.policy.RevisionStatus;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.gateway.auth.AuthorizationInterceptor;
import dev.openshell.gateway.auth.SupervisorEndpoint;
import dev.openshell.gateway.sandbox.SandboxRecord;
import dev.openshell.gateway.sandbox.SandboxService;
import dev.openshell.gateway.web.Names;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a sandbox's supervisor sends over REST: batches of log lines and decisions, and policy
 * acks. Only that sandbox's supervisor token (or the operator) may call them; any other sandbox's
 * name is refused the same way whether it exists or not.
 */
@RestController
class SupervisorController {

    static final int MAX_BATCH = 10_000;
    private static final String BASE = ApiPaths.SANDBOXES + "/{name}/supervisor";

    private final SandboxService sandboxes;
    private final WorkloadEventRouter events;

    SupervisorController(SandboxService sandboxes, WorkloadEventRouter events) {
        this.sandboxes = sandboxes;
        this.events = events;
    }

    @SupervisorEndpoint
    @PostMapping(BASE + "/logs")
    ResponseEntity<Void> logs(@PathVariable String name, @RequestBody List<LogLine> lines, HttpServletRequest request) {
        String id = own(name, request);
        events.logs(id, bounded(lines));
        return ResponseEntity.noContent().build();
    }

    @SupervisorEndpoint
    @PostMapping(BASE + "/decisions")
    ResponseEntity<Void> decisions(
            @PathVariable String name, @RequestBody List<DecisionRecord> records, HttpServletRequest request) {
        String id = own(name, request);
        events.decisions(id, bounded(records));
        return ResponseEntity.noContent().build();
    }

    @SupervisorEndpoint
    @PostMapping(BASE + "/policy-acks")
    ResponseEntity<Void> ack(@PathVariable String name, @RequestBody PolicyAck ack, HttpServletRequest request) {
        ack.validate();
        String id = own(name, request);
        if (ack.status() == RevisionStatus.LOADED) {
            events.policyLoaded(id, ack.revision());
        } else {
            events.policyFailed(id, ack.revision(), ack.error());
        }
        return ResponseEntity.noContent().build();
    }

    private String own(String name, HttpServletRequest request) {
        Names.require("name", name);
        String bound = AuthorizationInterceptor.supervisedSandbox(request);
        if (bound == null) {
            return sandboxes.require(name).id(); // the operator
        }
        SandboxRecord s = sandboxes.byId(bound).orElse(null);
        if (s == null || !s.name().equals(name)) {
            throw new ApiException(ErrorCode.FORBIDDEN, "this supervisor token is not for sandbox " + name);
        }
        return s.id();
    }

    private static <T> List<T> bounded(List<T> items) {
        if (items.size() > MAX_BATCH) {
            throw ApiException.invalid("(body)", items.size() + " items; at most " + MAX_BATCH + " per batch");
        }
        return items;
    }
}

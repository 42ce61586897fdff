package dev.openshell.gateway.session;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.api.sandbox.SshAccess;
import dev.openshell.api.sandbox.SshKeyRequest;
import dev.openshell.gateway.auth.RequiresScope;
import dev.openshell.gateway.sandbox.SandboxRecord;
import dev.openshell.gateway.sandbox.SandboxService;
import dev.openshell.gateway.web.Names;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/sandboxes/{name}/ssh/authorized-keys}: lets the caller's own SSH key into the
 * sandbox's SSH server (until the sandbox stops) and answers how to trust the server. With the SSH
 * tunnel endpoint, a standard {@code ssh} then connects through a {@code ProxyCommand}.
 */
@RestController
class SshAccessController {

    static final String SANDBOX_USER = "sandbox";

    private final SandboxService sandboxes;
    private final SupervisorSessions sessions;

    SshAccessController(SandboxService sandboxes, SupervisorSessions sessions) {
        this.sandboxes = sandboxes;
        this.sessions = sessions;
    }

    @RequiresScope(Scope.SANDBOX_EXEC)
    @PostMapping(ApiPaths.SANDBOXES + "/{name}/ssh/authorized-keys")
    SshAccess authorize(@PathVariable String name, @RequestBody SshKeyRequest body) {
        body.validate();
        SandboxRecord s = sandboxes.require(Names.require("name", name));
        if (s.phase() != SandboxPhase.READY) {
            throw new ApiException(
                    ErrorCode.SANDBOX_NOT_READY,
                    "sandbox " + name + " is " + s.phase().wire() + ", not Ready");
        }
        return new SshAccess(
                SANDBOX_USER, sessions.authorizeSshKey(s.id(), body.publicKey().strip()));
    }
}

package dev.openshell.gateway.session;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.api.validation.ResourceNames;
import dev.openshell.gateway.auth.Caller;
import dev.openshell.gateway.sandbox.SandboxRecord;
import dev.openshell.gateway.sandbox.SandboxService;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Who may open which WebSocket: a supervisor session only with that sandbox's own supervisor token
 * (any other sandbox's name is refused the same way whether it exists or not); a streaming exec or
 * SSH tunnel only with {@code sandbox:exec} (the operator's certificate or a token with that scope)
 * and only to a Ready sandbox. The authentication filter has established the caller already; a
 * refusal is a problem document, as on every other path.
 */
final class SessionHandshake implements HandshakeInterceptor {

    static final String SANDBOX_ID = "openshell.sandboxId";

    /** What the WebSocket is for. */
    enum Purpose {
        SUPERVISOR,
        CLIENT
    }

    private final Purpose purpose;
    private final String suffix;
    private final ObjectProvider<SandboxService> sandboxes;

    SessionHandshake(Purpose purpose, String suffix, ObjectProvider<SandboxService> sandboxes) {
        this.purpose = purpose;
        this.suffix = suffix;
        this.sandboxes = sandboxes;
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes) {
        if (!(request instanceof ServletServerHttpRequest servlet)) {
            return refuse(response, ErrorCode.FORBIDDEN, "not a servlet request");
        }
        HttpServletRequest http = servlet.getServletRequest();
        String path = http.getServletPath() + (http.getPathInfo() == null ? "" : http.getPathInfo());
        String prefix = ApiPaths.SANDBOXES + "/";
        if (!path.startsWith(prefix) || !path.endsWith(suffix)) {
            return refuse(response, ErrorCode.NOT_FOUND, "no such endpoint");
        }
        String name = path.substring(prefix.length(), path.length() - suffix.length());
        if (ResourceNames.violation(name).isPresent()) {
            return refuse(response, ErrorCode.VALIDATION_FAILED, "name: not a sandbox name");
        }
        Caller caller = Caller.of(http);
        Optional<SandboxRecord> found;
        try {
            found = Optional.of(sandboxes.getObject().require(name));
        } catch (RuntimeException e) {
            found = Optional.empty();
        }
        if (purpose == Purpose.SUPERVISOR) {
            if (caller.kind() != Caller.Kind.SUPERVISOR
                    || found.isEmpty()
                    || !found.get().id().equals(caller.sandboxId())) {
                return refuse(response, ErrorCode.FORBIDDEN, "only the sandbox's own supervisor may open its session");
            }
        } else {
            if (!caller.has(Scope.SANDBOX_EXEC)) {
                return refuse(response, ErrorCode.FORBIDDEN, "this needs the scope " + Scope.SANDBOX_EXEC.wire());
            }
            if (found.isEmpty()) {
                return refuse(response, ErrorCode.NOT_FOUND, "no sandbox named " + name);
            }
            if (found.get().phase() != SandboxPhase.READY) {
                return refuse(
                        response,
                        ErrorCode.SANDBOX_NOT_READY,
                        "sandbox " + name + " is " + found.get().phase().wire() + ", not Ready");
            }
        }
        attributes.put(SANDBOX_ID, found.get().id());
        return true;
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {}

    private static boolean refuse(ServerHttpResponse response, ErrorCode code, String detail) {
        response.setStatusCode(HttpStatus.valueOf(code.httpStatus()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        try {
            response.getBody()
                    .write(ApiJson.strict()
                            .writeValueAsString(Problem.of(code, detail))
                            .getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            // the client is gone
        }
        return false;
    }
}

package dev.openshell.gateway.sandbox;

import dev.openshell.api.ApiHeaders;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.Page;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.sandbox.ExecRequest;
import dev.openshell.api.sandbox.ExecResult;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxCreateRequest;
import dev.openshell.api.validation.LabelSelector;
import dev.openshell.gateway.auth.Caller;
import dev.openshell.gateway.auth.RequiresScope;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.web.IdempotentCreates;
import dev.openshell.gateway.web.Names;
import dev.openshell.gateway.web.PageRequest;
import dev.openshell.gateway.web.PageTokens;
import dev.openshell.gateway.web.Preconditions;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/sandboxes}: create, list, get, delete, stop, start, exec. */
@RestController
class SandboxController {

    private final SandboxService sandboxes;
    private final SandboxExec exec;
    private final IdempotentCreates idempotent;
    private final PageTokens pageTokens;
    private final GatewayProperties properties;

    SandboxController(
            SandboxService sandboxes,
            SandboxExec exec,
            IdempotentCreates idempotent,
            PageTokens pageTokens,
            GatewayProperties properties) {
        this.sandboxes = sandboxes;
        this.exec = exec;
        this.idempotent = idempotent;
        this.pageTokens = pageTokens;
        this.properties = properties;
    }

    @RequiresScope(Scope.SANDBOX_WRITE)
    @PostMapping(ApiPaths.SANDBOXES)
    ResponseEntity<Sandbox> create(
            @RequestBody SandboxCreateRequest body,
            @RequestHeader(name = ApiHeaders.IDEMPOTENCY_KEY, required = false) String key,
            HttpServletRequest request) {
        return Preconditions.withEntityTag(idempotent.create(
                Caller.of(request).id(),
                "sandboxes.create",
                key,
                body,
                Sandbox.class,
                () -> sandboxes.create(body),
                s -> ApiPaths.sandbox(s.name())));
    }

    @RequiresScope(Scope.SANDBOX_READ)
    @GetMapping(ApiPaths.SANDBOXES)
    Page<Sandbox> list(
            @RequestParam(name = ApiPaths.LABEL_SELECTOR, required = false) String selector,
            @RequestParam(name = "page_size", required = false) Integer pageSize,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        LabelSelector parsed = selector == null || selector.isBlank()
                ? LabelSelector.all()
                : LabelSelector.parse(ApiPaths.LABEL_SELECTOR, selector);
        String list = "sandboxes?" + parsed;
        PageRequest page = PageRequest.of(pageSize, pageToken, list, pageTokens, properties.limits());
        return sandboxes.list(parsed, page.after(), page.size(), last -> pageTokens.encode(list, last));
    }

    @RequiresScope(Scope.SANDBOX_READ)
    @GetMapping(ApiPaths.SANDBOXES + "/{name}")
    ResponseEntity<Sandbox> get(@PathVariable String name) {
        return Preconditions.ok(sandboxes.get(Names.require("name", name)));
    }

    @RequiresScope(Scope.SANDBOX_WRITE)
    @DeleteMapping(ApiPaths.SANDBOXES + "/{name}")
    DeleteResult delete(
            @PathVariable String name, @RequestHeader(name = ApiHeaders.IF_MATCH, required = false) String ifMatch) {
        return sandboxes.delete(Names.require("name", name), ifMatch);
    }

    @RequiresScope(Scope.SANDBOX_WRITE)
    @PostMapping(ApiPaths.SANDBOXES + "/{name}/stop")
    ResponseEntity<Sandbox> stop(
            @PathVariable String name, @RequestHeader(name = ApiHeaders.IF_MATCH, required = false) String ifMatch) {
        return Preconditions.ok(sandboxes.stop(Names.require("name", name), ifMatch));
    }

    @RequiresScope(Scope.SANDBOX_WRITE)
    @PostMapping(ApiPaths.SANDBOXES + "/{name}/start")
    ResponseEntity<Sandbox> start(
            @PathVariable String name,
            @RequestParam(name = "wait", defaultValue = "false") boolean wait,
            @RequestHeader(name = ApiHeaders.IF_MATCH, required = false) String ifMatch) {
        return Preconditions.ok(sandboxes.start(Names.require("name", name), ifMatch, wait));
    }

    @RequiresScope(Scope.SANDBOX_EXEC)
    @PostMapping(ApiPaths.SANDBOXES + "/{name}/exec")
    ExecResult exec(@PathVariable String name, @RequestBody ExecRequest body) {
        return exec.exec(Names.require("name", name), body);
    }
}

package dev.openshell.gateway.provider;

import dev.openshell.api.ApiHeaders;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.Page;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.provider.Provider;
import dev.openshell.api.provider.ProviderRequest;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/providers}. */
@RestController
class ProviderController {

    private static final String LIST = "providers";

    private final ProviderService providers;
    private final PageTokens pageTokens;
    private final IdempotentCreates idempotent;
    private final GatewayProperties properties;

    ProviderController(
            ProviderService providers,
            PageTokens pageTokens,
            IdempotentCreates idempotent,
            GatewayProperties properties) {
        this.providers = providers;
        this.pageTokens = pageTokens;
        this.idempotent = idempotent;
        this.properties = properties;
    }

    @RequiresScope(Scope.PROVIDER_WRITE)
    @PostMapping(ApiPaths.PROVIDERS)
    ResponseEntity<Provider> create(
            @RequestBody ProviderRequest body,
            @RequestHeader(name = ApiHeaders.IDEMPOTENCY_KEY, required = false) String key,
            HttpServletRequest request) {
        return Preconditions.withEntityTag(idempotent.create(
                Caller.of(request).id(),
                "providers.create",
                key,
                body,
                Provider.class,
                () -> providers.create(body),
                p -> ApiPaths.provider(p.name())));
    }

    @RequiresScope(Scope.PROVIDER_READ)
    @GetMapping(ApiPaths.PROVIDERS)
    Page<Provider> list(
            @RequestParam(name = "page_size", required = false) Integer pageSize,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        PageRequest page = PageRequest.of(pageSize, pageToken, LIST, pageTokens, properties.limits());
        return providers.list(page.after(), page.size(), last -> pageTokens.encode(LIST, last));
    }

    @RequiresScope(Scope.PROVIDER_READ)
    @GetMapping(ApiPaths.PROVIDERS + "/{name}")
    ResponseEntity<Provider> get(@PathVariable String name) {
        return Preconditions.ok(providers.get(Names.require("name", name)));
    }

    @RequiresScope(Scope.PROVIDER_WRITE)
    @PutMapping(ApiPaths.PROVIDERS + "/{name}")
    ResponseEntity<Provider> replace(
            @PathVariable String name,
            @RequestBody ProviderRequest body,
            @RequestHeader(name = ApiHeaders.IF_MATCH, required = false) String ifMatch) {
        return Preconditions.ok(providers.replace(Names.require("name", name), body, ifMatch));
    }

    @RequiresScope(Scope.PROVIDER_WRITE)
    @DeleteMapping(ApiPaths.PROVIDERS + "/{name}")
    DeleteResult delete(@PathVariable String name) {
        return providers.delete(Names.require("name", name));
    }
}

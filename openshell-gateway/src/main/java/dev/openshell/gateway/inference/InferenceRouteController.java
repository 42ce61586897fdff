package dev.openshell.gateway.inference;

import dev.openshell.api.ApiHeaders;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.Page;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.inference.InferenceRoute;
import dev.openshell.gateway.auth.RequiresScope;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.web.Names;
import dev.openshell.gateway.web.PageRequest;
import dev.openshell.gateway.web.PageTokens;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/inference/routes}: the route's version travels in {@code ETag} / {@code If-Match}. */
@RestController
class InferenceRouteController {

    private static final String LIST = "inference-routes";

    private final InferenceRouteService routes;
    private final PageTokens pageTokens;
    private final GatewayProperties properties;

    InferenceRouteController(InferenceRouteService routes, PageTokens pageTokens, GatewayProperties properties) {
        this.routes = routes;
        this.pageTokens = pageTokens;
        this.properties = properties;
    }

    @RequiresScope(Scope.INFERENCE_READ)
    @GetMapping(ApiPaths.INFERENCE_ROUTES)
    Page<InferenceRoute> list(
            @RequestParam(name = "page_size", required = false) Integer pageSize,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        PageRequest page = PageRequest.of(pageSize, pageToken, LIST, pageTokens, properties.limits());
        return routes.list(page.after(), page.size(), last -> pageTokens.encode(LIST, last));
    }

    @RequiresScope(Scope.INFERENCE_READ)
    @GetMapping(ApiPaths.INFERENCE_ROUTES + "/{name}")
    ResponseEntity<InferenceRoute> get(@PathVariable String name) {
        return answer(routes.get(Names.require("name", name)));
    }

    @RequiresScope(Scope.INFERENCE_WRITE)
    @PutMapping(ApiPaths.INFERENCE_ROUTES + "/{name}")
    ResponseEntity<InferenceRoute> put(
            @PathVariable String name,
            @RequestBody InferenceRoute body,
            @RequestHeader(name = ApiHeaders.IF_MATCH, required = false) String ifMatch) {
        return answer(routes.put(Names.require("name", name), body, ifMatch));
    }

    @RequiresScope(Scope.INFERENCE_WRITE)
    @DeleteMapping(ApiPaths.INFERENCE_ROUTES + "/{name}")
    DeleteResult delete(@PathVariable String name) {
        return routes.delete(Names.require("name", name));
    }

    private static ResponseEntity<InferenceRoute> answer(InferenceRouteService.Versioned v) {
        return ResponseEntity.ok()
                .eTag(ApiHeaders.entityTag(v.resourceVersion()))
                .body(v.route());
    }
}

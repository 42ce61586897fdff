package dev.openshell.gateway.token;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.Page;
import dev.openshell.api.auth.ApiToken;
import dev.openshell.api.auth.ApiTokenCreateRequest;
import dev.openshell.api.auth.ApiTokenCreated;
import dev.openshell.gateway.auth.Caller;
import dev.openshell.gateway.auth.OperatorOnly;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.web.IdempotentCreates;
import dev.openshell.gateway.web.PageRequest;
import dev.openshell.gateway.web.PageTokens;
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

/** {@code /api/v1/tokens}: the admin API, for the operator's client certificate only. */
@RestController
class TokenController {

    private static final String LIST = "tokens";

    private final TokenService tokens;
    private final PageTokens pageTokens;
    private final IdempotentCreates idempotent;
    private final GatewayProperties properties;

    TokenController(
            TokenService tokens, PageTokens pageTokens, IdempotentCreates idempotent, GatewayProperties properties) {
        this.tokens = tokens;
        this.pageTokens = pageTokens;
        this.idempotent = idempotent;
        this.properties = properties;
    }

    @OperatorOnly
    @PostMapping(ApiPaths.TOKENS)
    ResponseEntity<ApiTokenCreated> create(
            @RequestBody ApiTokenCreateRequest body,
            @RequestHeader(name = "Idempotency-Key", required = false) String key,
            HttpServletRequest request) {
        return idempotent.create(
                Caller.of(request).id(),
                "tokens.create",
                key,
                body,
                ApiTokenCreated.class,
                () -> tokens.create(body),
                null);
    }

    @OperatorOnly
    @GetMapping(ApiPaths.TOKENS)
    Page<ApiToken> list(
            @RequestParam(name = "page_size", required = false) Integer pageSize,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        PageRequest page = PageRequest.of(pageSize, pageToken, LIST, pageTokens, properties.limits());
        return tokens.list(page.after(), page.size(), last -> pageTokens.encode(LIST, last));
    }

    @OperatorOnly
    @GetMapping(ApiPaths.TOKENS + "/{id}")
    ApiToken get(@PathVariable String id) {
        return tokens.get(id);
    }

    @OperatorOnly
    @DeleteMapping(ApiPaths.TOKENS + "/{id}")
    DeleteResult revoke(@PathVariable String id) {
        return tokens.revoke(id);
    }
}

package dev.openshell.gateway.policy;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiHeaders;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.Page;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.api.policy.PolicySetRequest;
import dev.openshell.api.policy.PolicyUpdateRequest;
import dev.openshell.gateway.auth.RequiresScope;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.web.Names;
import dev.openshell.gateway.web.PageRequest;
import dev.openshell.gateway.web.PageTokens;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/sandboxes/{name}/policy}: get, set (PUT), update (PATCH), revisions. */
@RestController
class PolicyController {

    private static final String POLICY = ApiPaths.SANDBOXES + "/{name}/policy";

    private final PolicyService policies;
    private final PageTokens pageTokens;
    private final GatewayProperties properties;

    PolicyController(PolicyService policies, PageTokens pageTokens, GatewayProperties properties) {
        this.policies = policies;
        this.pageTokens = pageTokens;
        this.properties = properties;
    }

    @RequiresScope(Scope.POLICY_READ)
    @GetMapping(POLICY)
    PolicyRevision get(@PathVariable String name) {
        return policies.active(Names.require("name", name));
    }

    @RequiresScope(Scope.POLICY_WRITE)
    @PutMapping(POLICY)
    PolicyRevision set(
            @PathVariable String name,
            @RequestBody PolicySetRequest body,
            @RequestParam(name = "wait", defaultValue = "false") boolean wait,
            @RequestHeader(name = ApiHeaders.IF_MATCH, required = false) String ifMatch) {
        return policies.set(Names.require("name", name), body, ifMatch, wait);
    }

    @RequiresScope(Scope.POLICY_WRITE)
    @PatchMapping(POLICY)
    PolicyRevision update(
            @PathVariable String name,
            @RequestBody PolicyUpdateRequest body,
            @RequestParam(name = "wait", defaultValue = "false") boolean wait,
            @RequestHeader(name = ApiHeaders.IF_MATCH, required = false) String ifMatch) {
        return policies.update(Names.require("name", name), body, ifMatch, wait);
    }

    @RequiresScope(Scope.POLICY_READ)
    @GetMapping(POLICY + "/revisions")
    Page<PolicyRevision> revisions(
            @PathVariable String name,
            @RequestParam(name = "page_size", required = false) Integer pageSize,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Names.require("name", name);
        String list = "revisions/" + name;
        PageRequest page = PageRequest.of(pageSize, pageToken, list, pageTokens, properties.limits());
        Long before = page.after() == null ? null : Long.parseLong(page.after());
        return policies.revisions(name, before, page.size(), last -> pageTokens.encode(list, last));
    }

    @RequiresScope(Scope.POLICY_READ)
    @GetMapping(POLICY + "/revisions/{number}")
    PolicyRevision revision(@PathVariable String name, @PathVariable String number) {
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw ApiException.invalid("number", "a revision number is a positive integer");
        }
        if (n < 1) {
            throw ApiException.invalid("number", "a revision number is a positive integer");
        }
        return policies.revision(Names.require("name", name), n);
    }
}

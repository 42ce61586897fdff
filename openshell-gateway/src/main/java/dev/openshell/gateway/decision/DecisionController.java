package dev.openshell.gateway.decision;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.Page;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.decision.DecisionRecord;
import dev.openshell.api.decision.Verdict;
import dev.openshell.api.validation.DurationText;
import dev.openshell.api.validation.TextRules;
import dev.openshell.api.validation.Violations;
import dev.openshell.gateway.auth.RequiresScope;
import dev.openshell.gateway.config.GatewayProperties;
import dev.openshell.gateway.sandbox.SandboxService;
import dev.openshell.gateway.web.Names;
import dev.openshell.gateway.web.PageRequest;
import dev.openshell.gateway.web.PageTokens;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/decisions}: the decision log, newest first, filtered by sandbox, verdict, since, binary, host. */
@RestController
class DecisionController {

    private final DecisionStore decisions;
    private final SandboxService sandboxes;
    private final PageTokens pageTokens;
    private final GatewayProperties properties;
    private final Clock clock;

    DecisionController(
            DecisionStore decisions,
            SandboxService sandboxes,
            PageTokens pageTokens,
            GatewayProperties properties,
            Clock clock) {
        this.decisions = decisions;
        this.sandboxes = sandboxes;
        this.pageTokens = pageTokens;
        this.properties = properties;
        this.clock = clock;
    }

    @RequiresScope(Scope.DECISION_READ)
    @GetMapping(ApiPaths.DECISIONS)
    Page<DecisionRecord> query(
            @RequestParam(name = "sandbox", required = false) String sandbox,
            @RequestParam(name = "verdict", required = false) String verdict,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "binary", required = false) String binary,
            @RequestParam(name = "host", required = false) String host,
            @RequestParam(name = "page_size", required = false) Integer pageSize,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Violations v = new Violations();
        TextRules.check(v, "binary", binary, 4096);
        TextRules.check(v, "host", host, 253);
        v.throwIfAny();
        Verdict parsedVerdict = verdict == null
                ? null
                : Arrays.stream(Verdict.values())
                        .filter(x -> x.wire().equals(verdict))
                        .findFirst()
                        .orElseThrow(() -> ApiException.invalid("verdict", "must be allow, deny or audit"));
        String sandboxId = sandbox == null
                ? null
                : sandboxes.require(Names.require("sandbox", sandbox)).id();
        var filter = new DecisionStore.Filter(
                sandboxId,
                parsedVerdict,
                since == null ? null : clock.instant().minus(DurationText.parse("since", since)),
                binary,
                host);
        String list = "decisions?" + sandboxId + "&" + verdict + "&" + since + "&" + binary + "&" + host;
        PageRequest page = PageRequest.of(pageSize, pageToken, list, pageTokens, properties.limits());
        Long before = page.after() == null ? null : Long.parseLong(page.after());
        List<Map.Entry<Long, DecisionRecord>> rows = decisions.page(filter, before, page.size() + 1);
        boolean more = rows.size() > page.size();
        var shown = more ? rows.subList(0, page.size()) : rows;
        return new Page<>(
                shown.stream().map(Map.Entry::getValue).toList(),
                more ? pageTokens.encode(list, Long.toString(shown.getLast().getKey())) : null);
    }
}

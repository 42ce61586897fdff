package dev.openshell.gateway.log;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.Page;
import dev.openshell.api.auth.Scope;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.validation.DurationText;
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
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/sandboxes/{name}/logs}: a page of lines (oldest first), or with {@code
 * follow=true} a Server-Sent Events stream of every line as it arrives ({@code event: line},
 * {@code id} to resume with {@code page_token} semantics), ending when the sandbox is deleted.
 */
@RestController
class LogController {

    private final LogStore logs;
    private final LogFollower follower;
    private final SandboxService sandboxes;
    private final PageTokens pageTokens;
    private final GatewayProperties properties;
    private final Clock clock;

    LogController(
            LogStore logs,
            LogFollower follower,
            SandboxService sandboxes,
            PageTokens pageTokens,
            GatewayProperties properties,
            Clock clock) {
        this.logs = logs;
        this.follower = follower;
        this.sandboxes = sandboxes;
        this.pageTokens = pageTokens;
        this.properties = properties;
        this.clock = clock;
    }

    @RequiresScope(Scope.SANDBOX_READ)
    @GetMapping(path = ApiPaths.SANDBOXES + "/{name}/logs", produces = MediaType.APPLICATION_JSON_VALUE)
    Page<LogLine> page(
            @PathVariable String name,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "source", required = false) String source,
            @RequestParam(name = "page_size", required = false) Integer pageSize,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        LogStore.Filter filter = filter(name, since, source);
        String list = listName(filter, since, source);
        PageRequest page = PageRequest.of(pageSize, pageToken, list, pageTokens, properties.limits());
        List<Map.Entry<Long, LogLine>> rows =
                logs.page(filter, page.after() == null ? null : Long.parseLong(page.after()), page.size() + 1);
        boolean more = rows.size() > page.size();
        var shown = more ? rows.subList(0, page.size()) : rows;
        return new Page<>(
                shown.stream().map(Map.Entry::getValue).toList(),
                more ? pageTokens.encode(list, Long.toString(shown.getLast().getKey())) : null);
    }

    @RequiresScope(Scope.SANDBOX_READ)
    @GetMapping(path = ApiPaths.SANDBOXES + "/{name}/logs", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter follow(
            @PathVariable String name,
            @RequestParam(name = "since", required = false) String since,
            @RequestParam(name = "source", required = false) String source,
            @RequestParam(name = "follow", defaultValue = "true") boolean follow) {
        LogStore.Filter filter = filter(name, since, source);
        return follower.follow(filter, follow);
    }

    private LogStore.Filter filter(String name, String since, String source) {
        String id = sandboxes.require(Names.require("name", name)).id();
        LogLine.Source parsedSource = source == null
                ? null
                : Arrays.stream(LogLine.Source.values())
                        .filter(s -> s.wire().equals(source))
                        .findFirst()
                        .orElseThrow(
                                () -> ApiException.invalid("source", "must be agent, supervisor, proxy or gateway"));
        return new LogStore.Filter(
                id, since == null ? null : clock.instant().minus(DurationText.parse("since", since)), parsedSource);
    }

    private static String listName(LogStore.Filter filter, String since, String source) {
        return "logs/" + filter.sandboxId() + "?" + since + "&" + source;
    }
}

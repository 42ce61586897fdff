package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.validation.TextRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A sandbox as the gateway reports it. The environment given at creation is not part of it (values
 * may be secrets; providers are the way to hand credentials in).
 *
 * @param id stable identifier, assigned by the gateway
 * @param name the DNS-label name, unique per gateway
 * @param reason why it is in {@link SandboxPhase#ERROR} (or stopped), one line; absent otherwise
 * @param exitCode the agent's exit status once its main process has exited
 * @param image the image it runs from; absent for the local driver's host filesystem
 * @param command the agent's command line; empty for the image's default
 * @param readyAt when it last became Ready
 * @param policyRevision the policy revision the sandbox has loaded
 * @param resourceVersion opaque; changes with every write, send it back in {@code If-Match}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sandbox(
        String id,
        String name,
        SandboxPhase phase,
        String reason,
        Integer exitCode,
        Map<String, String> labels,
        String image,
        List<String> command,
        List<String> providers,
        ResourceLimits resources,
        Instant createdAt,
        Instant readyAt,
        Long policyRevision,
        String resourceVersion) {

    public Sandbox {
        labels = TextRules.copyOf("labels", labels);
        command = TextRules.copyOf("command", command);
        providers = TextRules.copyOf("providers", providers);
    }
}

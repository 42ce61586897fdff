package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.openshell.api.validation.EnvironmentRules;
import dev.openshell.api.validation.LabelRules;
import dev.openshell.api.validation.ResourceNames;
import dev.openshell.api.validation.TextRules;
import dev.openshell.api.validation.Violations;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Asks for a new sandbox ({@code POST /api/v1/sandboxes}, with an {@code Idempotency-Key} so a
 * retry never creates two).
 *
 * @param name DNS label; absent: the gateway generates one
 * @param command the agent's command line; empty: the image's default (a shell)
 * @param env extra environment for the agent; write-only (never returned)
 * @param policy the policy YAML; absent: the default policy (no network)
 * @param providers names of providers whose credentials the sandbox gets
 * @param image the image to run ({@code sandbox create --from}); absent: the driver's default
 * @param waitForReady {@code wait} on the wire: whether the call returns only once the sandbox is
 *     Ready (or failed)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SandboxCreateRequest(
        String name,
        List<String> command,
        Map<String, String> env,
        Map<String, String> labels,
        String policy,
        List<String> providers,
        String image,
        ResourceLimits resources,
        @JsonProperty("wait") Boolean waitForReady) {

    public static final int MAX_ARGS = 4096;
    public static final int MAX_ARG_LENGTH = 128 * 1024 - 1;
    public static final int MAX_POLICY_LENGTH = 1024 * 1024;
    public static final int MAX_PROVIDERS = 32;
    public static final int MAX_IMAGE_LENGTH = 255;

    public SandboxCreateRequest {
        command = TextRules.copyOf("command", command);
        env = TextRules.copyOf("env", env);
        labels = TextRules.copyOf("labels", labels);
        providers = TextRules.copyOf("providers", providers);
    }

    /** A request for {@code command} with everything else defaulted. */
    public static SandboxCreateRequest of(String name, List<String> command) {
        return new SandboxCreateRequest(name, command, null, null, null, null, null, null, null);
    }

    /** Throws a {@code validation_failed} problem listing every invalid field. */
    public void validate() {
        Violations v = new Violations();
        if (name != null) {
            v.check("name", ResourceNames.violation(name));
        }
        TextRules.checkArgs(v, "command", command, MAX_ARGS, MAX_ARG_LENGTH);
        if (!command.isEmpty() && command.getFirst().isEmpty()) {
            v.add("command[0]", "the program must not be empty");
        }
        EnvironmentRules.check(v, "env", env);
        LabelRules.check(v, "labels", labels);
        TextRules.check(v, "policy", policy, MAX_POLICY_LENGTH);
        if (policy != null && policy.isBlank()) {
            v.add("policy", "must not be blank (omit it for the default policy)");
        }
        if (providers.size() > MAX_PROVIDERS) {
            v.add("providers", providers.size() + " providers; at most " + MAX_PROVIDERS);
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < providers.size(); i++) {
                v.check("providers[" + i + "]", ResourceNames.violation(providers.get(i)));
                if (!seen.add(providers.get(i))) {
                    v.add("providers[" + i + "]", "'" + providers.get(i) + "' is listed twice");
                }
            }
        }
        ImageReferences.check(v, "image", image, MAX_IMAGE_LENGTH);
        if (resources != null) {
            resources.validate(v, "resources");
        }
        v.throwIfAny();
    }

    /** Environment values are left out: they may be secrets, and requests get logged. */
    @Override
    public String toString() {
        return "SandboxCreateRequest[name=" + name + ", command=" + command + ", env=" + env.keySet() + ", labels="
                + labels + ", policy=" + (policy == null ? null : policy.length() + " chars") + ", providers="
                + providers + ", image=" + image + ", resources=" + resources + ", wait=" + waitForReady + "]";
    }
}

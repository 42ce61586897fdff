package dev.openshell.gateway.compute;

import dev.openshell.api.sandbox.ResourceLimits;
import java.util.List;
import java.util.Map;

/**
 * What a driver needs to run a sandbox.
 *
 * @param sandboxId stable id (the workload's key on the compute)
 * @param command the agent's command line; empty: the image's default
 * @param env the agent's extra environment (values may be secrets: never log them)
 * @param policyYaml the canonical policy to enforce from the start, revision {@code policyRevision}
 * @param providers the credentials of the providers the sandbox was given
 * @param supervisorToken the secret the sandbox's supervisor authenticates to the gateway with
 */
public record WorkloadSpec(
        String sandboxId,
        String name,
        List<String> command,
        Map<String, String> env,
        Map<String, String> labels,
        String image,
        ResourceLimits resources,
        String policyYaml,
        long policyRevision,
        List<ProviderCredentials> providers,
        String supervisorToken) {

    public WorkloadSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
        providers = List.copyOf(providers);
    }

    /** One provider's credentials, for injection by the sandbox (never logged). */
    public record ProviderCredentials(String name, String type, String baseUrl, Map<String, String> credentials) {
        public ProviderCredentials {
            credentials = Map.copyOf(credentials);
        }

        @Override
        public String toString() {
            return "ProviderCredentials[" + name + ", keys=" + credentials.keySet() + "]";
        }
    }

    /** Secrets are left out. */
    @Override
    public String toString() {
        return "WorkloadSpec[" + sandboxId + " " + name + ", command=" + command + ", env=" + env.keySet() + ", image="
                + image + ", revision=" + policyRevision + ", providers=" + providers + "]";
    }
}

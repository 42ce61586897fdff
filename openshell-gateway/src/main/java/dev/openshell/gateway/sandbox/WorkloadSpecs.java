package dev.openshell.gateway.sandbox;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.policy.PolicyRevision;
import dev.openshell.gateway.compute.WorkloadSpec;
import dev.openshell.gateway.db.Json;
import dev.openshell.gateway.db.Sealer;
import dev.openshell.gateway.provider.ProviderService;
import dev.openshell.gateway.token.TokenService;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;

/**
 * Builds what a driver gets for a sandbox: its record, the opened environment and provider
 * credentials, the newest policy revision, and a fresh supervisor token (the previous ones are
 * revoked, so only the running workload holds a valid one).
 */
@Component
class WorkloadSpecs {

    static final String ENV_PURPOSE = "sandboxes.env";
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private final RevisionStore revisions;
    private final ProviderService providers;
    private final TokenService tokens;
    private final Sealer sealer;

    WorkloadSpecs(RevisionStore revisions, ProviderService providers, TokenService tokens, Sealer sealer) {
        this.revisions = revisions;
        this.providers = providers;
        this.tokens = tokens;
        this.sealer = sealer;
    }

    String sealEnv(Map<String, String> env) {
        return env.isEmpty() ? null : sealer.seal(Json.write(env), ENV_PURPOSE);
    }

    WorkloadSpec build(SandboxRecord s) {
        PolicyRevision revision = revisions
                .newest(s.id())
                .orElseThrow(() -> new ApiException(ErrorCode.INTERNAL, "sandbox " + s.name() + " has no policy"));
        Map<String, String> env =
                s.envSealed() == null ? Map.of() : Json.read(sealer.open(s.envSealed(), ENV_PURPOSE), MAP);
        var credentials = s.providers().stream()
                .filter(providers::exists)
                .map(name -> {
                    var p = providers.get(name);
                    return new WorkloadSpec.ProviderCredentials(
                            name, p.type(), p.baseUrl(), providers.credentials(name));
                })
                .toList();
        tokens.deleteSupervisorTokens(s.id());
        String token = tokens.mintSupervisorToken(s.id());
        return new WorkloadSpec(
                s.id(),
                s.name(),
                s.command(),
                env,
                s.labels(),
                s.image(),
                s.resources(),
                revision.policy(),
                revision.number(),
                credentials,
                token);
    }
}

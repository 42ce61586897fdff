package dev.openshell.cli.apply;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.provider.Provider;
import dev.openshell.api.provider.ProviderProtocol;
import dev.openshell.api.provider.ProviderRequest;
import dev.openshell.api.sandbox.ResourceLimits;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.validation.LabelSelector;
import dev.openshell.cli.apply.ApplyFile.ProviderSpec;
import dev.openshell.cli.apply.ApplyFile.SandboxSpec;
import dev.openshell.cli.provider.CredentialFlags;
import dev.openshell.cli.provider.KnownProviders;
import dev.openshell.cli.support.CliEnvironment;
import dev.openshell.cli.support.CliErrors;
import dev.openshell.policy.PolicyDiff;
import dev.openshell.policy.PolicyParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compares an apply file with what the gateway has and lists the changes that make them match.
 * It only reads: every credential the plan needs is looked up and every conflict found before the
 * first write, so a plan that cannot be carried out changes nothing.
 */
final class ApplyPlanner {

    private final GatewayClient gw;
    private final CliEnvironment env;

    ApplyPlanner(GatewayClient gw, CliEnvironment env) {
        this.gw = gw;
        this.env = env;
    }

    List<Change> plan(ApplyFile file, boolean prune) {
        List<Change> changes = new ArrayList<>();
        for (ProviderSpec p : file.providers()) {
            changes.add(provider(p));
        }
        List<String> foreign = new ArrayList<>();
        for (SandboxSpec s : file.sandboxes()) {
            Optional<Sandbox> existing = find(() -> gw.sandboxes().get(s.name()));
            if (existing.isEmpty()) {
                changes.add(new Change.CreateSandbox(s.createRequest()));
            } else if (!file.set().equals(existing.get().labels().get(ApplyFile.SET_LABEL))) {
                foreign.add(s.name());
            } else {
                changes.addAll(sandbox(s, existing.get()));
            }
        }
        if (!foreign.isEmpty()) {
            // Taking over a sandbox made by hand or by another file would let --prune of this file delete it later.
            throw CliErrors.of(
                    ErrorCode.ALREADY_EXISTS,
                    "sandbox " + String.join(", ", foreign) + " exists and was not made by apply file '" + file.set()
                            + "'",
                    "rename it in the file, or delete it first: openshell sandbox delete " + String.join(" ", foreign));
        }
        Set<String> listed =
                new HashSet<>(file.sandboxes().stream().map(SandboxSpec::name).toList());
        gw.sandboxes()
                .list(LabelSelector.parse("selector", ApplyFile.SET_LABEL + "=" + file.set()))
                .map(Sandbox::name)
                .filter(n -> !listed.contains(n))
                .sorted()
                .forEach(n -> changes.add(prune ? new Change.DeleteSandbox(n) : new Change.Kept(n)));
        return changes;
    }

    private Change provider(ProviderSpec p) {
        Optional<KnownProviders.Type> known = KnownProviders.type(p.type());
        String baseUrl = p.baseUrl() != null
                ? p.baseUrl()
                : known.map(KnownProviders.Type::baseUrl).orElse(null);
        ProviderProtocol protocol = p.protocol() != null
                ? p.protocol()
                : known.map(KnownProviders.Type::protocol).orElse(null);
        Optional<Provider> existing = find(() -> gw.providers().get(p.name()));
        List<String> differences = new ArrayList<>();
        if (existing.isPresent()) {
            Provider e = existing.get();
            differ(differences, "type", p.type(), e.type());
            differ(differences, "base_url", baseUrl, e.baseUrl());
            differ(differences, "protocol", protocol, e.protocol());
            if (differences.isEmpty()) {
                // Credential values cannot be read back, so apply never rotates them: provider update does.
                return new Change.Unchanged("provider", p.name());
            }
        }
        ProviderRequest request = new ProviderRequest(p.name(), p.type(), baseUrl, protocol, credentials(p));
        request.validate();
        return existing.isPresent()
                ? new Change.ReplaceProvider(request, String.join(", ", differences))
                : new Change.CreateProvider(request);
    }

    private Map<String, String> credentials(ProviderSpec p) {
        try {
            return CredentialFlags.collect(p.type(), p.credentials(), p.fromExisting(), env);
        } catch (ApiException e) {
            throw CliErrors.of(
                    e.code(), "provider " + p.name() + ": " + e.problem().detail(), e.hint());
        }
    }

    private List<Change> sandbox(SandboxSpec s, Sandbox existing) {
        List<String> differences = new ArrayList<>();
        if (!s.command().isEmpty()) {
            differ(differences, "command", s.command(), existing.command());
        }
        differ(differences, "labels", s.labels(), existing.labels());
        differ(differences, "providers", Set.copyOf(s.providers()), Set.copyOf(existing.providers()));
        if (s.image() != null) {
            differ(differences, "image", s.image(), existing.image());
        }
        if (s.resources() != null) {
            resources(differences, s.resources(), existing.resources());
        }
        List<Change> changes = new ArrayList<>();
        if (s.policy() != null) {
            String current = gw.policies().get(s.name()).policy();
            PolicyDiff diff = PolicyDiff.between(
                    PolicyParser.parse(current.getBytes(StandardCharsets.UTF_8), s.name()), s.policy());
            if (diff.hasStaticChanges()) {
                differences.add("policy ("
                        + String.join(
                                ", ",
                                diff.staticChanges().stream()
                                        .map(PolicyDiff.Change::path)
                                        .distinct()
                                        .toList())
                        + ")");
            } else if (!diff.isEmpty()) {
                changes.add(new Change.SetPolicy(
                        s.name(), s.policyYaml(), diff.dynamicChanges().size()));
            }
        }
        if (!differences.isEmpty()) {
            changes.add(new Change.Drifted("sandbox", s.name(), String.join(", ", differences)));
        }
        if (changes.isEmpty()) {
            changes.add(new Change.Unchanged("sandbox", s.name()));
        }
        return changes;
    }

    private static void resources(List<String> differences, ResourceLimits want, ResourceLimits have) {
        ResourceLimits h = have == null ? new ResourceLimits(null, null, null) : have;
        if ((want.memoryBytes() != null && !want.memoryBytes().equals(h.memoryBytes()))
                || (want.cpus() != null && !want.cpus().equals(h.cpus()))
                || (want.pids() != null && !want.pids().equals(h.pids()))) {
            differences.add("resources");
        }
    }

    private static void differ(List<String> differences, String field, Object want, Object have) {
        if (!Objects.equals(want, have)) {
            differences.add(field);
        }
    }

    /** The object, or empty when the gateway has none of that name. */
    private static <T> Optional<T> find(Supplier<T> get) {
        try {
            return Optional.of(get.get());
        } catch (ApiException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}

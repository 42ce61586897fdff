package dev.openshell.gateway.sandbox;

import dev.openshell.api.sandbox.ResourceLimits;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxPhase;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A stored sandbox: the API shape plus its sealed environment and a numeric resource version. */
public record SandboxRecord(
        String id,
        String name,
        SandboxPhase phase,
        String reason,
        Integer exitCode,
        Map<String, String> labels,
        String image,
        List<String> command,
        String envSealed,
        List<String> providers,
        ResourceLimits resources,
        Instant createdAt,
        Instant readyAt,
        Long policyRevision,
        long resourceVersion) {

    public SandboxRecord {
        labels = Map.copyOf(labels);
        command = List.copyOf(command);
        providers = List.copyOf(providers);
    }

    public Sandbox toApi() {
        return new Sandbox(
                id,
                name,
                phase,
                reason,
                exitCode,
                labels,
                image,
                command,
                providers,
                resources,
                createdAt,
                readyAt,
                policyRevision,
                Long.toString(resourceVersion));
    }

    public SandboxRecord withPhase(SandboxPhase phase, String reason) {
        return new SandboxRecord(
                id,
                name,
                phase,
                reason,
                exitCode,
                labels,
                image,
                command,
                envSealed,
                providers,
                resources,
                createdAt,
                readyAt,
                policyRevision,
                resourceVersion);
    }

    public SandboxRecord withReadyAt(Instant readyAt) {
        return new SandboxRecord(
                id,
                name,
                phase,
                reason,
                exitCode,
                labels,
                image,
                command,
                envSealed,
                providers,
                resources,
                createdAt,
                readyAt,
                policyRevision,
                resourceVersion);
    }

    public SandboxRecord withExitCode(Integer exitCode) {
        return new SandboxRecord(
                id,
                name,
                phase,
                reason,
                exitCode,
                labels,
                image,
                command,
                envSealed,
                providers,
                resources,
                createdAt,
                readyAt,
                policyRevision,
                resourceVersion);
    }

    public SandboxRecord withPolicyRevision(Long policyRevision) {
        return new SandboxRecord(
                id,
                name,
                phase,
                reason,
                exitCode,
                labels,
                image,
                command,
                envSealed,
                providers,
                resources,
                createdAt,
                readyAt,
                policyRevision,
                resourceVersion);
    }
}

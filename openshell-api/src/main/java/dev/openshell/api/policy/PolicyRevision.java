package dev.openshell.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One revision of a sandbox's policy. Every set or update makes a new revision; the sandbox loads
 * it whole or not at all and acks which.
 *
 * @param number 1, 2, 3... per sandbox
 * @param error why the sandbox rejected it ({@link RevisionStatus#FAILED}), one line
 * @param hash {@code sha256:} and the hex digest of the canonical YAML
 * @param policy the policy YAML (canonical form)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyRevision(
        long number,
        RevisionStatus status,
        String error,
        String hash,
        Instant createdAt,
        Instant loadedAt,
        String policy) {}

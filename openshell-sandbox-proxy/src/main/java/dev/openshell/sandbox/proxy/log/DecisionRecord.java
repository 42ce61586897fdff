package dev.openshell.sandbox.proxy.log;

import java.time.Instant;

/**
 * One policy decision as logged (one JSON line each, OCSF-shaped).
 *
 * @param path the request path with query values redacted ({@code ?q=*}); null at L4
 * @param verdict {@code allow}, {@code deny} or {@code audit}
 * @param layer {@code l4} or {@code l7}
 * @param generation the policy generation that decided
 * @param mode {@code transparent} for a connection the sandbox firewall captured because it ignored
 *     the proxy settings; {@code null} for the explicit proxy
 */
public record DecisionRecord(
        Instant time,
        String sandbox,
        String binary,
        int pid,
        String host,
        int port,
        String method,
        String path,
        String verdict,
        String layer,
        String policy,
        String rule,
        String reason,
        long generation,
        long latencyMicros,
        String mode) {}

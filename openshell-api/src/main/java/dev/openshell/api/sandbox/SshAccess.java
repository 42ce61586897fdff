package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * How to reach a sandbox over SSH once a key is authorized: connect through the SSH tunnel
 * WebSocket ({@code GET /api/v1/sandboxes/{name}/ssh}) as {@code user}, and trust {@code hostKey}
 * ({@code known_hosts}: {@code <alias> <host_key>}).
 *
 * @param hostKey the sandbox SSH server's public host key line
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SshAccess(String user, String hostKey) {}

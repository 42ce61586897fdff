package dev.openshell.cli.context;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * For a gateway started on another host ({@code openshell gateway start --remote}): how to reach
 * that host over SSH again (to stop or destroy the gateway) and where it put things there.
 *
 * @param ssh the {@code --remote} target as given ({@code root@gw1}, a {@code ~/.ssh/config} alias)
 * @param sshKey the {@code --ssh-key} file, or null when the agent and the configuration supply keys
 * @param destination {@code user@host} as logged in to (for messages)
 * @param home the login's home on the host
 * @param java the {@code java} the gateway runs with there
 * @param version the distribution's version (its directory under {@code ~/.local/share/openshell/dist})
 * @param dataDir the gateway's data directory on the host
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RemoteHost(
        String ssh, String sshKey, String destination, String home, String java, String version, String dataDir) {}

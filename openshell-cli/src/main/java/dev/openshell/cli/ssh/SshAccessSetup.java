package dev.openshell.cli.ssh;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.context.GatewayEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What {@code ssh-config}, {@code sandbox connect} and {@code forward start} share: the key let
 * into the sandbox, the host key pinned, and the client configuration for it.
 */
public final class SshAccessSetup {

    private SshAccessSetup() {}

    /** Authorizes this CLI's key for {@code sandbox} on {@code entry}'s gateway and returns the configuration. */
    public static SshClientConfig prepare(OpenShellCli cli, GatewayEntry entry, GatewayClient client, String sandbox) {
        SandboxSshIdentity identity = new SandboxSshIdentity(cli.registry(), entry.name(), sandbox);
        String user = identity.authorize(client);
        String xdg = cli.environment().get("XDG_CONFIG_HOME");
        Path configHome = xdg != null && Path.of(xdg).isAbsolute() ? Path.of(xdg) : null;
        return new SshClientConfig(identity, user, SelfCommand.argv(cli.environment()), configHome);
    }

    /** Writes the configuration next to the key ({@code config}) for {@code ssh -F}; returns its path. */
    public static Path writeConfigFile(OpenShellCli cli, SshClientConfig config) {
        Path file = config.identity().directory().resolve("config");
        cli.registry().writeFile(file, config.block(), PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** The system's OpenSSH client, or null when it is not installed. */
    public static Path sshBinary() {
        for (String candidate : new String[] {"/usr/bin/ssh", "/bin/ssh", "/usr/local/bin/ssh"}) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}

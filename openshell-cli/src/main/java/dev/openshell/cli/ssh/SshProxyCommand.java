package dev.openshell.cli.ssh;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code openshell ssh-proxy NAME}: relays standard input and output to the sandbox's SSH server
 * over the gateway's tunnel; OpenSSH's {@code ProxyCommand}. The key is let in (again) first and
 * the host key pin refreshed, so a sandbox that was recreated under the same name still connects.
 */
@Command(
        name = "ssh-proxy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Relay standard input and output to a sandbox's SSH server through the gateway: the ProxyCommand of"
                    + " openshell ssh-config and sandbox connect. Not for use by hand."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the connection ended", "3:no such sandbox", "4:the sandbox is not Ready"})
public final class SshProxyCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        OpenShellCli cli = OpenShellCli.of(spec);
        try (GatewayClient client = gateway.connect(Duration.ofSeconds(30))) {
            new SandboxSshIdentity(cli.registry(), gateway.entry().name(), name).authorize(client);
            // Raw bytes: the SSH protocol, not text for the command's writers.
            FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
            new TunnelRelay(stdout).run(client, name, cli.stdin());
            return 0;
        }
    }
}

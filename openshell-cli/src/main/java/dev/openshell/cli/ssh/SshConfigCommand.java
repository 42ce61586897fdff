package dev.openshell.cli.ssh;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell ssh-config NAME}: prints an OpenSSH {@code Host openshell-NAME} block for the sandbox. */
@Command(
        name = "ssh-config",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print an OpenSSH client configuration block (Host openshell-NAME) for a Ready sandbox: it connects"
                    + " through openshell ssh-proxy over the gateway, with a key of this CLI's (made and let in on"
                    + " first use) and the sandbox's host key pinned. Append it to ~/.ssh/config for IDEs'"
                    + " remote-SSH, or use it with ssh -F."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  ssh -F <(openshell ssh-config demo) openshell-demo uname -a",
            "  openshell ssh-config demo >> ~/.ssh/config"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "3:no such sandbox", "4:the sandbox is not Ready"})
public final class SshConfigCommand implements Callable<Integer> {

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
        try (GatewayClient client = gateway.connect()) {
            SshClientConfig config = SshAccessSetup.prepare(cli, gateway.entry(), client, name);
            spec.commandLine().getOut().print(config.block());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}

package dev.openshell.cli.sandbox;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.ssh.SshAccessSetup;
import dev.openshell.cli.ssh.SshClientConfig;
import dev.openshell.cli.ssh.SshProcess;
import dev.openshell.cli.support.CliEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code openshell sandbox connect NAME [-- CMD...]}: the system's {@code ssh} into the sandbox,
 * through {@code openshell ssh-proxy} over the gateway's SSH tunnel.
 */
@Command(
        name = "connect",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Open an SSH session in a Ready sandbox with the system's ssh (a shell, or CMD), through the gateway:"
                    + " no port of the sandbox is exposed. A key of this CLI's is made and let in on first use"
                    + " (under the gateway's directory, 0600) and the sandbox's host key is pinned.",
            "See openshell ssh-config for the same connection in other SSH clients and IDEs."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  openshell sandbox connect demo", "  openshell sandbox connect demo -- uname -a"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "N:the remote shell's or command's exit status",
            "255:ssh failed to connect",
            "3:no such sandbox",
            "4:the sandbox is not Ready"
        })
public final class SandboxConnectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Parameters(
            index = "1..*",
            arity = "0..*",
            paramLabel = "CMD",
            description = "A command to run instead of a shell (after --).")
    private List<String> command = new ArrayList<>();

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        OpenShellCli cli = OpenShellCli.of(spec);
        Path config;
        SshClientConfig ssh;
        try (GatewayClient client = gateway.connect()) {
            ssh = SshAccessSetup.prepare(cli, gateway.entry(), client, name);
            config = SshAccessSetup.writeConfigFile(cli, ssh);
        }
        boolean terminal = cli.environment().interactive() && CliEnvironment.isTerminal(0);
        return SshProcess.run(
                config,
                List.of(),
                ssh.identity().alias(),
                command,
                terminal,
                cli.stdin(),
                spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }
}

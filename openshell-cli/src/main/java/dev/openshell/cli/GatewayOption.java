package dev.openshell.cli;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.context.GatewayConnector;
import dev.openshell.cli.context.GatewayEntry;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code -g/--gateway NAME}: which registered gateway a command talks to, mixed into the commands
 * that talk to one (and the root, so it may come before the subcommand). Precedence: the flag,
 * then {@code OPENSHELL_GATEWAY}, then the active gateway ({@code openshell gateway select}).
 */
public final class GatewayOption {

    /** The environment variable naming the gateway to use. */
    public static final String ENV = "OPENSHELL_GATEWAY";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(
            names = {"-g", "--gateway"},
            order = GlobalOptions.ORDER,
            paramLabel = "NAME",
            description =
                    "Gateway to use (default: $OPENSHELL_GATEWAY, else the active one; see openshell gateway list).")
    void setGateway(String value) {
        if (value != null && !value.isEmpty()) {
            cli().globals().setGateway(value);
        }
    }

    /** The gateway asked for with {@code -g} or {@code OPENSHELL_GATEWAY}, or null for the active one. */
    public String requested() {
        String flag = cli().globals().gateway();
        return flag != null ? flag : cli().environment().get(ENV);
    }

    /** The registered gateway this command talks to; fails with one line when there is none. */
    public GatewayEntry entry() {
        GatewayEntry entry = cli().registry().resolve(requested());
        cli().using(entry);
        return entry;
    }

    /** A client of that gateway with the ordinary request timeout. Close it. */
    public GatewayClient connect() {
        return connect(GatewayConnector.REQUEST_TIMEOUT);
    }

    /** A client of that gateway whose requests may take up to {@code requestTimeout}. Close it. */
    public GatewayClient connect(Duration requestTimeout) {
        return new GatewayConnector(cli().registry()).connect(entry(), requestTimeout);
    }

    private OpenShellCli cli() {
        return OpenShellCli.of(mixee);
    }
}

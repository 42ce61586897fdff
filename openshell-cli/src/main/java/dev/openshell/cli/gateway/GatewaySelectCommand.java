package dev.openshell.cli.gateway;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell gateway select [NAME]}: makes a registered gateway the active one; without NAME, asks on a terminal. */
@Command(
        name = "select",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Make a registered gateway the active one (used when neither -g nor OPENSHELL_GATEWAY names one).",
            "Without NAME, on a terminal: pick one from the list."
        })
public final class GatewaySelectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The gateway to use from now on.")
    private String name;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        OpenShellCli cli = OpenShellCli.of(spec);
        GatewayRegistry registry = cli.registry();
        List<GatewayEntry> all = registry.list();
        String chosen = name;
        if (chosen == null) {
            if (all.isEmpty()) {
                throw CliErrors.of(
                        ErrorCode.NOT_FOUND,
                        "no gateway is registered",
                        "start one with openshell gateway start, or add one with openshell gateway add URL");
            }
            if (!cli.environment().interactive()) {
                throw CliErrors.usage(
                        "name the gateway to select (registered: "
                                + String.join(
                                        ", ",
                                        all.stream().map(GatewayEntry::name).toList()) + ")",
                        "openshell gateway select NAME");
            }
            chosen = pick(all, registry.activeName());
            if (chosen == null) {
                return 0;
            }
        }
        GatewayEntry entry = registry.resolve(chosen);
        registry.activate(entry.name());
        new Output(spec, globals).text("gateway " + entry.name() + " selected (" + entry.endpoint() + ")\n");
        return 0;
    }

    /** Lists the gateways numbered and reads a number or a name; an empty answer keeps the current one. */
    private String pick(List<GatewayEntry> all, String active) {
        PrintWriter err = spec.commandLine().getErr();
        for (int i = 0; i < all.size(); i++) {
            GatewayEntry g = all.get(i);
            err.printf("%s %d) %s  %s%n", g.name().equals(active) ? "*" : " ", i + 1, g.name(), g.endpoint());
        }
        BufferedReader in =
                new BufferedReader(new InputStreamReader(OpenShellCli.of(spec).stdin(), StandardCharsets.UTF_8));
        while (true) {
            err.print("Select a gateway [1-" + all.size() + "]"
                    + (active != null ? " (Enter keeps " + active + ")" : "") + ": ");
            err.flush();
            String answer;
            try {
                answer = in.readLine();
            } catch (IOException e) {
                answer = null;
            }
            if (answer == null || answer.isBlank()) {
                if (active != null || answer == null) {
                    err.println();
                    err.flush();
                    return null;
                }
                continue;
            }
            String a = answer.strip();
            try {
                int n = Integer.parseInt(a);
                if (n >= 1 && n <= all.size()) {
                    return all.get(n - 1).name();
                }
            } catch (NumberFormatException e) {
                if (all.stream().anyMatch(g -> g.name().equals(a))) {
                    return a;
                }
            }
            err.println("no such choice: " + dev.openshell.api.SafeText.quote(a));
        }
    }
}

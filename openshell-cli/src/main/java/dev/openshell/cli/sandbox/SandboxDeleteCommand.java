package dev.openshell.cli.sandbox;

import dev.openshell.api.DeleteResult;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.validation.LabelSelector;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell sandbox delete NAME... | --all [--selector S]}: idempotent, like the API. */
@Command(
        name = "delete",
        aliases = "rm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Delete sandboxes: their workloads and every record of them (policy revisions, logs, decisions).",
            "Deleting a sandbox that does not exist succeeds (it says so)."
        })
public final class SandboxDeleteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..*", description = "The sandboxes.")
    private List<String> names = new ArrayList<>();

    @Option(names = "--all", description = "Delete every sandbox (that matches --selector, when given).")
    private boolean all;

    @Option(
            names = {"-l", "--selector"},
            paramLabel = "SELECTOR",
            description = "With --all: only sandboxes whose labels match.")
    private String selector;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        if (all == !names.isEmpty()) {
            throw CliErrors.usage(
                    all ? "--all and sandbox names exclude each other" : "name the sandboxes to delete, or give --all",
                    "openshell sandbox delete NAME..., or openshell sandbox delete --all [--selector k=v]");
        }
        if (selector != null && !all) {
            throw CliErrors.usage("--selector needs --all", "openshell sandbox delete --all --selector " + selector);
        }
        try (GatewayClient gw = gateway.connect()) {
            List<String> targets = all
                    ? gw.sandboxes()
                            .list(selector == null ? LabelSelector.all() : LabelSelector.parse("--selector", selector))
                            .map(Sandbox::name)
                            .toList()
                    : names;
            List<DeleteResult> results = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (String n : targets) {
                DeleteResult r = gw.sandboxes().delete(n);
                results.add(r);
                text.append("sandbox ")
                        .append(n)
                        .append(r.result() == DeleteResult.Outcome.DELETED ? " deleted\n" : " was already absent\n");
            }
            Output out = new Output(spec, globals);
            if (targets.isEmpty() && !out.structured()) {
                out.note("no sandboxes to delete");
            }
            out.printText(Map.of("items", results), text::toString);
        }
        return 0;
    }
}

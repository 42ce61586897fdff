package dev.openshell.cli.logs;

import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.LogFollow;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.validation.DurationText;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OutputFormat;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Documents;
import dev.openshell.cli.output.TerminalText;
import dev.openshell.cli.support.CliErrors;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell logs NAME [-f] [--since 5m] [--source S] [--tail N]}: a sandbox's log, oldest first. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Print a sandbox's log, oldest first: what its agent wrote (standard output and error), and what its"
                    + " supervisor, proxy and the gateway said about it. With -f, keep printing new lines until the"
                    + " sandbox is deleted or Ctrl-C.",
            "Each line: TIME SOURCE[/STREAM] TEXT, control characters escaped. -o json prints one JSON object per"
                    + " line (the API's LogLine), -o yaml one document per line."
        },
        footerHeading = "%nExamples:%n",
        footer = {"  openshell logs demo -f", "  openshell logs demo --since 5m --source proxy"})
public final class LogsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing lines as they arrive.")
    private boolean follow;

    @Option(
            names = "--since",
            paramLabel = "DURATION",
            description = "Only lines from the last DURATION (30s, 5m, 2h).")
    private String since;

    @Option(
            names = "--source",
            paramLabel = "SOURCE",
            description = "Only lines from agent, supervisor, proxy or gateway.")
    private String source;

    @Option(names = "--tail", paramLabel = "N", description = "Only the last N lines (then new ones with -f).")
    private Integer tail;

    @Mixin
    private GatewayOption gateway;

    /** With -f and --tail: how many of the kept lines the stream starts with are still to skip. */
    private long skip;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        Duration window = since == null ? null : DurationText.parse("--since", since);
        LogLine.Source from = source == null ? null : source(source);
        if (tail != null && tail < 0) {
            throw CliErrors.usage("--tail " + tail + " is negative", "--tail 100");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (GatewayClient gw = gateway.connect()) {
            if (!follow) {
                Deque<LogLine> kept = new ArrayDeque<>();
                gw.sandboxes().logs(name, window, from).forEach(line -> {
                    kept.addLast(line);
                    if (tail != null && kept.size() > tail) {
                        kept.removeFirst();
                    }
                });
                kept.forEach(line -> print(out, line));
                out.flush();
                return 0;
            }
            if (tail != null) {
                // The stream starts with every kept line: count them first, then skip all but the tail.
                long total = gw.sandboxes().logs(name, window, from).count();
                skip = Math.max(0, total - tail);
            }
            try (LogFollow stream = gw.sandboxes().follow(name, window, from)) {
                stream.forEach(line -> {
                    if (skip > 0) {
                        skip--;
                        return;
                    }
                    print(out, line);
                    out.flush();
                });
            }
        }
        return 0;
    }

    private void print(PrintWriter out, LogLine line) {
        OutputFormat format = globals.output();
        switch (format) {
            case JSON -> out.println(dev.openshell.api.json.ApiJson.strict().writeValueAsString(line));
            case YAML -> out.print("---\n" + Documents.yaml(line));
            case TABLE ->
                out.println((line.time() == null ? "-" : line.time().toString()) + " "
                        + (line.source() == null ? "?" : line.source().wire())
                        + (line.stream() == null ? "" : "/" + line.stream().wire()) + " "
                        + TerminalText.line(line.text()));
        }
    }

    private static LogLine.Source source(String text) {
        for (LogLine.Source s : LogLine.Source.values()) {
            if (s.wire().equals(text)) {
                return s;
            }
        }
        throw CliErrors.usage(
                "--source " + SafeText.quote(text) + " is not agent, supervisor, proxy or gateway",
                "e.g. --source agent");
    }
}

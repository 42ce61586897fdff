package dev.openshell.cli.policy;

import dev.openshell.cli.ExitCodes;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.OutputFormat;
import dev.openshell.cli.StructuredWriter;
import dev.openshell.cli.VersionProvider;
import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.L7Request;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell policy check}: decides one connection (and HTTP request) offline. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Decide offline whether a policy lets a binary connect to host:port and, with --method and"
                    + " --path, send one HTTP request there. No DNS lookup is made: give the addresses the"
                    + " host resolves to with --ip to exercise the destination guard."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:allowed (or allowed in audit mode)",
            "1:denied",
            "2:invalid policy file or arguments",
            "70:internal error"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell policy check p.yaml --binary /usr/bin/curl \\",
            "      --host api.github.com --port 443",
            "  openshell policy check p.yaml --binary /usr/bin/gh \\",
            "      --host api.github.com --port 443 --method GET --path /repos/acme/widgets",
            "  openshell policy check p.yaml --binary /usr/bin/curl \\",
            "      --host example.com --port 443 --ip 10.0.0.7"
        })
public final class PolicyCheckCommand implements Callable<Integer> {

    private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Policy YAML file, or - for standard input.")
    private Path file;

    @Option(
            names = "--binary",
            required = true,
            paramLabel = "PATH",
            description = "Executable opening the connection.")
    private String binary;

    @Option(
            names = "--ancestor",
            paramLabel = "PATH",
            description = "Executable of an ancestor process, nearest first (repeatable).")
    private List<String> ancestors = new ArrayList<>();

    @Option(names = "--host", required = true, paramLabel = "HOST", description = "Destination host name or IP.")
    private String host;

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "Destination port (1-65535).")
    private int port;

    @Option(names = "--method", paramLabel = "METHOD", description = "HTTP method of a request to check.")
    private String method;

    @Option(
            names = "--path",
            paramLabel = "TARGET",
            description = "HTTP request target: path with optional ?query, percent-encoded as sent.")
    private String path;

    @Option(
            names = "--ip",
            paramLabel = "ADDR",
            description = "An address the host resolves to (repeatable). An IP literal host is its own address.")
    private List<String> ips = new ArrayList<>();

    // Declared last so that the command's own options come first in --help.
    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        boolean requestGiven = checkArguments();
        L4Request connection = new L4Request(binary, ancestors, host, port, addresses());
        PolicyInput input = PolicyInput.load(file, OpenShellCli.of(spec).stdin());
        if (!input.valid()) {
            return invalidPolicy(input);
        }
        CompiledPolicy compiled = PolicyEngine.compile(input.policy());
        Decision l4 = compiled.evaluate(connection);
        Decision l7 = requestGiven && l4.permits() && l4.inspect()
                ? compiled.evaluate(new L7Request(connection, method, path))
                : null;
        DecisionReport report = new DecisionReport(host + ":" + port, l4, l7, requestGiven);

        PrintWriter out = spec.commandLine().getOut();
        if (globals.output() == OutputFormat.TABLE) {
            report.lines().forEach(out::println);
        } else {
            out.print(StructuredWriter.write(report.document(), globals.output()));
        }
        out.flush();
        return report.outcome().permits() ? ExitCodes.OK : ExitCodes.DENIED;
    }

    /** Rejects arguments no policy could be asked about; returns whether an HTTP request was given. */
    private boolean checkArguments() {
        if (port < 1 || port > 65535) {
            throw usage("--port must be between 1 and 65535, got " + port);
        }
        if (!binary.startsWith("/")) {
            throw usage("--binary must be an absolute path, got '" + binary + "'");
        }
        if (host.isBlank()) {
            throw usage("--host must not be empty");
        }
        if ((method == null) != (path == null)) {
            throw usage("--method and --path go together, e.g. --method GET --path /repos/acme/widgets");
        }
        if (path != null && !path.startsWith("/") && !path.equals("*")) {
            // A request target as sent on the wire starts with '/'; anything else would only ever be denied.
            throw usage("--path must start with '/' (the request target as sent), got '" + path + "'");
        }
        return method != null;
    }

    private List<InetAddress> addresses() {
        List<InetAddress> addresses = new ArrayList<>();
        for (String ip : ips) {
            String literal = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
            // InetAddress also reads "10" or "10.1" as IPv4; a resolved address has four parts.
            if (!literal.contains(":") && !DOTTED_QUAD.matcher(literal).matches()) {
                throw usage("--ip '" + ip + "' is not an IPv4 or IPv6 address");
            }
            try {
                // ofLiteral never consults DNS, unlike getByName.
                addresses.add(InetAddress.ofLiteral(literal));
            } catch (IllegalArgumentException e) {
                throw usage("--ip '" + ip + "' is not an IPv4 or IPv6 address");
            }
        }
        return addresses;
    }

    private int invalidPolicy(PolicyInput input) {
        if (globals.output() != OutputFormat.TABLE) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(StructuredWriter.write(PolicyValidateCommand.document(input), globals.output()));
            out.flush();
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + input.name() + " is not a valid policy:");
        input.errors().forEach(e -> err.println("  " + input.describe(e)));
        err.flush();
        return ExitCodes.INVALID_INPUT;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}

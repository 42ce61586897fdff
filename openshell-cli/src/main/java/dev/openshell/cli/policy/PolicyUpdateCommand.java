package dev.openshell.cli.policy;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.RequestOptions;
import dev.openshell.api.policy.EndpointAccess;
import dev.openshell.api.policy.EndpointProtocol;
import dev.openshell.api.policy.PolicyOperation;
import dev.openshell.api.policy.PolicyUpdateRequest;
import dev.openshell.cli.GatewayOption;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import dev.openshell.policy.PolicyUpdates;
import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyUpdate;
import dev.openshell.policy.model.Protocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code openshell policy update NAME --add-endpoint HOST:PORT[:ACCESS[:PROTOCOL]] --binary B ...}:
 * merges changes into the network policies, as a denial's {@code next_steps} suggests them.
 */
@Command(
        name = "update",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Merge changes into a sandbox's network policies; the spellings are those a denial's next_steps"
                    + " suggest. The operations apply in order and the result is validated whole: on any error"
                    + " nothing changes.",
            "HOST:PORT takes an IPv6 address in brackets ([2001:db8::1]:443). ACCESS is read-only, read-write or"
                    + " full; PROTOCOL rest or l4. An allow or deny rule is 'HOST:PORT METHOD [PATH]' or"
                    + " HOST:PORT:METHOD[:PATH] (PATH a glob, default /**)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell policy update demo --add-endpoint api.github.com:443:read-only --binary /usr/bin/gh --wait",
            "  openshell policy update demo --add-allow 'api.github.com:443 POST /repos/**' --binary /usr/bin/gh",
            "  openshell policy update demo --remove-endpoint example.com:443"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:written (with --wait: loaded); or unchanged",
            "1:the sandbox rejected the revision (--wait)",
            "2:an operation is malformed or does not apply to the current policy",
            "124:still pending after --timeout (--wait)"
        })
public final class PolicyUpdateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The sandbox.")
    private String name;

    @Option(
            names = "--add-endpoint",
            paramLabel = "HOST:PORT[:ACCESS[:PROTOCOL]]",
            description = "Allow an endpoint for the --binary programs.")
    private List<String> addEndpoints = new ArrayList<>();

    @Option(
            names = "--remove-endpoint",
            paramLabel = "HOST:PORT",
            description = "Remove the endpoint from every network policy.")
    private List<String> removeEndpoints = new ArrayList<>();

    @Option(
            names = "--add-allow",
            paramLabel = "'HOST:PORT METHOD [PATH]'",
            description = "Add an allow rule to a REST endpoint for the --binary (one rule per binary).")
    private List<String> addAllows = new ArrayList<>();

    @Option(
            names = "--add-deny",
            paramLabel = "'HOST:PORT METHOD [PATH]'",
            description = "Add a deny rule (for the --binary, or every binary without one).")
    private List<String> addDenies = new ArrayList<>();

    @Option(
            names = "--binary",
            paramLabel = "PATH",
            description = "A program (path or glob) the added endpoints and rules apply to; repeatable.")
    private List<String> binaries = new ArrayList<>();

    @Option(
            names = "--policy-key",
            paramLabel = "KEY",
            description = "The network policy --add-endpoint adds to (default: allow_HOST_PORT).")
    private String policyKey;

    @Mixin
    private RevisionWaitOptions waiting;

    @Mixin
    private GatewayOption gateway;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        Duration limit = waiting.limit();
        PolicyUpdateRequest request = new PolicyUpdateRequest(operations());
        request.validate();
        try (GatewayClient gw = gateway.connect()) {
            return PolicyWrite.run(
                    gw,
                    name,
                    waiting.waits(),
                    limit,
                    new Output(spec, globals),
                    () -> gw.policies().update(name, request, RequestOptions.NONE));
        }
    }

    /** The operations in flag order, parsed here (the policy engine's own parsers) so a typo fails before any request. */
    List<PolicyOperation> operations() {
        List<PolicyOperation> ops = new ArrayList<>();
        try {
            for (String spec : addEndpoints) {
                PolicyUpdate.AddEndpoint a = PolicyUpdates.parseAddEndpoint(spec, policyKey, binaries);
                ops.add(new PolicyOperation.AddEndpoint(
                        a.policyKey(), a.host(), a.port(), access(a.access()), protocol(a.protocol()), a.binaries()));
            }
            for (String spec : removeEndpoints) {
                PolicyUpdate.RemoveEndpoint r = PolicyUpdates.parseRemoveEndpoint(spec);
                ops.add(new PolicyOperation.RemoveEndpoint(r.host(), r.port()));
            }
            for (String spec : addAllows) {
                if (binaries.isEmpty()) {
                    throw CliErrors.usage(
                            "--add-allow needs --binary", "name the program the rule is for: --binary /usr/bin/gh");
                }
                for (String binary : binaries) {
                    PolicyUpdate.AddAllow a = PolicyUpdates.parseAddAllow(spec, binary);
                    ops.add(new PolicyOperation.AddAllow(a.host(), a.port(), a.binary(), a.method(), a.path()));
                }
            }
            for (String spec : addDenies) {
                for (String binary :
                        binaries.isEmpty() ? java.util.Collections.<String>singletonList(null) : binaries) {
                    PolicyUpdate.AddDeny d = PolicyUpdates.parseAddDeny(spec, binary);
                    ops.add(new PolicyOperation.AddDeny(d.host(), d.port(), d.binary(), d.method(), d.path()));
                }
            }
        } catch (PolicyException | IllegalArgumentException e) {
            throw CliErrors.of(
                    dev.openshell.api.ErrorCode.POLICY_UPDATE_INVALID,
                    e.getMessage(),
                    "see openshell policy update --help for the spellings");
        }
        if (ops.isEmpty()) {
            throw CliErrors.usage(
                    "no change given", "give --add-endpoint, --remove-endpoint, --add-allow or --add-deny");
        }
        return ops;
    }

    private static EndpointAccess access(Access a) {
        return a == null
                ? null
                : switch (a) {
                    case READ_ONLY -> EndpointAccess.READ_ONLY;
                    case READ_WRITE -> EndpointAccess.READ_WRITE;
                    case FULL -> EndpointAccess.FULL;
                };
    }

    private static EndpointProtocol protocol(Protocol p) {
        return p == Protocol.REST ? EndpointProtocol.REST : EndpointProtocol.L4;
    }
}

package dev.openshell.cli.run;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.ExitCodes;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.policy.PolicyInput;
import dev.openshell.sandbox.cgroup.ByteSize;
import dev.openshell.sandbox.cgroup.HostResources;
import dev.openshell.sandbox.cgroup.ResourceLimits;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.supervisor.AgentConsole;
import dev.openshell.sandbox.supervisor.SandboxSupervisor;
import dev.openshell.sandbox.supervisor.SupervisorOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code openshell run [--policy F] [--workdir D] [--env K=V]… [--tty] [--log F] [--memory S] [--cpus N]
 * [--pids N] [--tmp-size S] -- CMD…}: runs CMD once in a fresh local sandbox, no gateway needed,
 * like wrapping it with {@code bwrap} but policed by the egress proxy and the policy. The
 * supervisor runs in this process; CMD gets this process's stdin, stdout and stderr as they are
 * (no copy: pipes and terminals behave as outside). When CMD exits (or this process gets SIGTERM
 * or SIGINT) the sandbox is removed, leaving nothing behind; if this process is killed, CMD ends
 * with it and {@code openshell cleanup} (or the next run) removes the rest.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Run a command in a fresh local sandbox (no gateway) and remove the sandbox when it exits.",
            "Without --policy: no network, the system read-only, the work directory and /tmp writable.",
            "The command runs as a uid of its own, with memory, CPU and process limits: reaching the memory or"
                    + " process limit ends the sandbox, and stderr says which.",
            "CMD gets this shell's stdin, stdout and stderr directly (pipes and terminals behave as outside).",
            "CMD's PATH is the system one (/usr/local/bin:/usr/bin:/bin); pass another with --env PATH=...",
            "Denied connections are reported on stderr as 'openshell: denied: ...'. Needs root."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell run -- sh -c 'curl -sS https://example.com; id -u'",
            "  openshell run --policy allow.yaml --workdir . -- curl https://example.com",
            "  openshell run --tty -- bash",
            "  openshell run --memory 512m --cpus 0.5 --pids 256 -- make -j4"
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "N:the command's own exit code (128+n when signal n ended it; 137 or 143 when a limit ended the"
                    + " sandbox)",
            "2:bad usage, a missing or invalid policy file, an unusable --workdir or limit, --tty without a"
                    + " terminal",
            "125:the sandbox could not be created (not root, no cgroups, ...)",
            "126:the command cannot be executed",
            "127:the command was not found in the sandbox"
        })
public final class RunCommand implements Callable<Integer> {

    /** Exit code when the sandbox itself cannot be made (as {@code docker run} and the launcher). */
    public static final int SANDBOX_FAILED = 125;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--policy",
            paramLabel = "FILE",
            description = "Policy YAML, or - for standard input (default: no network).")
    private Path policy;

    @Option(
            names = "--workdir",
            paramLabel = "DIR",
            description = "Directory the command works in and may write (default: a fresh empty one, removed"
                    + " at the end). What the command creates there belongs to the directory's owner; nothing"
                    + " is chown-ed. Refused (exit 2) when missing, not a directory, owned by root, not"
                    + " writable by its owner, or on a filesystem without idmapped mounts (nfs, fuse).")
    private Path workdir;

    @Option(
            names = "--env",
            paramLabel = "K=V",
            description = "Environment variable for the command; a bare K passes this shell's value (repeatable).")
    private List<String> env = List.of();

    @Option(names = "--tty", description = "Give the command this terminal (for interactive programs).")
    private boolean tty;

    @Option(
            names = "--log",
            paramLabel = "FILE",
            description = "Also write the command's output and the sandbox's events to FILE, one JSON line"
                    + " each (the output is then copied once, in large chunks).")
    private Path logFile;

    @Option(
            names = "--memory",
            paramLabel = "SIZE",
            description = "Memory limit for the command, everything it starts and what it keeps in /tmp"
                    + " (e.g. 512m, 2g; default: 2g or half the RAM, whichever is lower).")
    private String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU time in cores, e.g. 0.5 or 2 (default: every core).")
    private Double cpus;

    @Option(
            names = "--pids",
            paramLabel = "N",
            description = "Most processes and threads at once (default: " + ResourceLimits.DEFAULT_PIDS + ").")
    private Integer pids;

    @Option(
            names = "--tmp-size",
            paramLabel = "SIZE",
            description =
                    "Size of each of the private /tmp, /var/tmp and /dev/shm, counted in --memory (default: half of --memory).")
    private String tmpSize;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    private List<String> command;

    // Declared last so that the command's own options come first in --help.
    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (tty && !stdinIsTerminal()) {
            err.println("error: --tty needs a terminal, but standard input is not one");
            err.println("Run it from an interactive shell, or leave --tty out for pipes and files.");
            err.flush();
            return ExitCodes.INVALID_INPUT;
        }
        SandboxSpec sandbox;
        try {
            sandbox = sandboxSpec();
        } catch (SandboxException e) {
            return fail(err, e, ExitCodes.INVALID_INPUT);
        }
        if (policy != null) {
            PolicyInput input = PolicyInput.load(policy, OpenShellCli.of(spec).stdin());
            if (!input.valid()) {
                input.report(err, err);
                return ExitCodes.INVALID_INPUT;
            }
            sandbox = sandbox.withPolicyYaml(input.yaml());
        }
        SupervisorOptions options = SupervisorOptions.defaults()
                .withConsole(logFile == null ? AgentConsole.TERMINAL : AgentConsole.STREAMED)
                .withEvents(event -> {
                    // Only what explains a failure the command saw, or what was done to this host
                    // besides the sandbox: not the lifecycle chatter.
                    if (event.startsWith("denied: ")
                            || event.startsWith("finding: ")
                            || event.startsWith("reclaimed ")) {
                        err.println("openshell: " + event);
                        err.flush();
                    }
                });
        if (logFile != null) {
            if (java.nio.file.Files.isSymbolicLink(logFile)) {
                // This process is root: it never writes through a link someone may have planted.
                err.println("error: --log " + logFile + " is a symbolic link; name the file itself");
                err.println("See '" + spec.qualifiedName() + " --help'.");
                err.flush();
                return ExitCodes.INVALID_INPUT;
            }
            options = options.withLogFile(logFile.toAbsolutePath());
        }
        SandboxSupervisor supervisor;
        try {
            supervisor = SandboxSupervisor.start(sandbox, options);
        } catch (SandboxException e) {
            return fail(err, e, startFailure(e.code()));
        }
        Thread hook = new Thread(supervisor::close, "openshell-run-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code = supervisor.awaitExit();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook finishes the teardown
        }
        String reason = supervisor.status().reason();
        if (reason != null) {
            err.println("openshell: " + reason);
        }
        return code;
    }

    private SandboxSpec sandboxSpec() {
        // Checked by the supervisor (WorkdirCheck) before anything is made.
        Path dir = workdir == null ? null : workdir.toAbsolutePath().normalize();
        return SandboxSpec.of(dir, command)
                .withEnv(environment())
                .withTty(tty)
                .withSsh(false)
                .withResources(resources());
    }

    /** Whether fd 0 is a terminal device (Java has no isatty; the fd's link names the device). */
    private static boolean stdinIsTerminal() {
        try {
            String device = java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/fd/0"))
                    .toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The limits given on the command line, checked against this host now rather than at start. */
    private ResourceLimits resources() {
        ResourceLimits limits = ResourceLimits.DEFAULT;
        if (memory != null) {
            limits = limits.withMemory(ByteSize.parse(memory, "--memory"));
        }
        if (cpus != null) {
            if (!(cpus > 0)) {
                throw new SandboxException(ErrorCode.RESOURCES_INVALID, "--cpus: " + cpus + " is not above 0");
            }
            limits = limits.withCpus(cpus);
        }
        if (pids != null) {
            if (pids <= 0) {
                throw new SandboxException(ErrorCode.RESOURCES_INVALID, "--pids: " + pids + " is not above 0");
            }
            limits = limits.withPids(pids);
        }
        if (tmpSize != null) {
            limits = limits.withTmp(ByteSize.parse(tmpSize, "--tmp-size"));
        }
        limits.resolve(HostResources.detect());
        return limits;
    }

    private Map<String, String> environment() {
        Map<String, String> vars = new LinkedHashMap<>();
        String term = System.getenv("TERM");
        if (tty && term != null) {
            vars.put("TERM", term);
        }
        for (String entry : env) {
            int eq = entry.indexOf('=');
            if (eq == 0) {
                throw new SandboxException(ErrorCode.SPEC_INVALID, "--env " + entry + ": the name is empty");
            }
            if (eq < 0) {
                String value = System.getenv(entry);
                if (value != null) {
                    vars.put(entry, value);
                }
            } else {
                vars.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return vars;
    }

    private int fail(PrintWriter err, SandboxException e, int code) {
        if (globals.debug()) {
            e.printStackTrace(err);
        }
        String message = e.getMessage();
        int nl = message.indexOf('\n');
        err.println("error: " + (nl < 0 ? message : message.substring(0, nl)));
        err.println(hint(e));
        err.flush();
        return code;
    }

    /**
     * The exit status of a sandbox that could not start: the code's own ({@link ErrorCode#exitCode()})
     * when it is one this command documents, 2 (the caller's mistake: an invalid policy, workdir or
     * limit) or 125 (the sandbox could not be made); 125 for any other.
     */
    static int startFailure(ErrorCode code) {
        int status = code.exitCode();
        return status == ExitCodes.INVALID_INPUT || status == SANDBOX_FAILED ? status : SANDBOX_FAILED;
    }

    private String hint(SandboxException e) {
        return switch (e.code()) {
            case NOT_ROOT ->
                "openshell run creates a network namespace and firewall rules: run it as root" + " (e.g. with sudo).";
            case WORKDIR_UNUSABLE ->
                "--workdir must be a writable directory of an unprivileged user on a local filesystem; or omit it.";
            case NETWORK_UNAVAILABLE, RESOURCES_INVALID, CGROUPS_UNAVAILABLE ->
                e.code().hint();
            default -> "See '" + spec.qualifiedName() + " --help'.";
        };
    }
}

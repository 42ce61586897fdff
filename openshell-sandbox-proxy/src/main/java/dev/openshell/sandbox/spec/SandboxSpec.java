package dev.openshell.sandbox.spec;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.Policy;
import dev.openshell.sandbox.cgroup.ResourceLimits;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.net.SubnetClaim;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one sandbox runs and where its state lives; read from JSON by {@code openshell-sandbox run
 * --spec F} or built by {@code openshell run}.
 *
 * <pre>{@code
 * {"id": "sb-demo", "workdir": "/srv/work", "command": ["sh", "-c", "curl https://example.com"],
 *  "env": {"FOO": "bar"}, "policy_file": "/etc/openshell/demo.yaml", "state_dir": "/var/lib/demo",
 *  "tty": false, "ssh": true, "resources": {"memory": "1g", "cpus": 1, "pids": 256}}
 * }</pre>
 *
 * @param id the sandbox id (default a random {@code sb-xxxxxx}); names the namespace, nft table and
 *     state directory
 * @param workdir the host directory the agent works in (bind-mounted into its mount namespace); null
 *     means a fresh empty directory inside the state directory, owned by the agent's user and
 *     removed with the sandbox
 * @param agentWorkdir where the agent sees {@code workdir} (default: the same path)
 * @param command the agent's program and arguments, found on the agent's {@code PATH}
 * @param env extra environment for the agent; the proxy and trust variables always win
 * @param policyFile the policy YAML file, or null
 * @param policyYaml the policy inline (key {@code policy}), or null; at most one of the two, neither
 *     means {@link #DEFAULT_POLICY}
 * @param stateDir where status, logs, the trust bundle and the control socket live (default {@code
 *     /run/openshell/sandboxes/<id>}); never under {@code /tmp}, which the agent's private {@code
 *     /tmp} would hide
 * @param keepState whether status and logs survive the sandbox (default: only when {@code
 *     state_dir} was given); the socket and trust bundle are always removed
 * @param tty whether the agent gets the supervisor's terminal (its output is then not logged)
 * @param extraUpstreamCa a PEM bundle the proxy trusts for upstream TLS besides the system store
 * @param ssh whether to serve SSH for exec, shell, transfer and forwards (default true)
 * @param resources the sandbox's memory, CPU, process and {@code /tmp} limits (key {@code
 *     resources}: {@code {"memory": "2g", "cpus": 1.5, "pids": 512, "tmp_size": "512m"}}, each
 *     optional; see {@link ResourceLimits} for the defaults)
 */
public record SandboxSpec(
        String id,
        Path workdir,
        Path agentWorkdir,
        List<String> command,
        Map<String, String> env,
        Path policyFile,
        String policyYaml,
        Path stateDir,
        boolean keepState,
        boolean tty,
        Path extraUpstreamCa,
        boolean ssh,
        ResourceLimits resources) {

    /** Where default state directories live. */
    public static final Path SANDBOXES_ROOT = Path.of("/run/openshell/sandboxes");

    /**
     * The policy without {@code --policy}: no network at all, and the model's defaults for the
     * rest (the filesystem baseline: the system read-only, the work directory and {@code /tmp},
     * private to the sandbox, writable; Landlock best effort; user {@code sandbox}).
     */
    public static final String DEFAULT_POLICY = "version: 1\n";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    public SandboxSpec {
        SubnetClaim.requireValidId(Objects.requireNonNull(id, "id"));
        if (workdir != null) {
            requireAbsolute("workdir", workdir);
        }
        if (agentWorkdir != null) {
            requireAbsolute("agent_workdir", agentWorkdir);
        }
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw invalid("command is empty: give the program to run");
        }
        env = Map.copyOf(env);
        env.keySet().forEach(SandboxSpec::requireEnvName);
        if (policyFile != null && policyYaml != null) {
            throw invalid("give either policy_file or policy, not both");
        }
        stateDir = stateDir == null ? SANDBOXES_ROOT.resolve(id) : stateDir;
        requireAbsolute("state_dir", stateDir);
        if (stateDir.normalize().startsWith("/tmp")) {
            throw invalid("state_dir " + stateDir + " is under /tmp, which the agent's private /tmp hides");
        }
        if (extraUpstreamCa != null) {
            requireAbsolute("extra_upstream_ca", extraUpstreamCa);
        }
        Objects.requireNonNull(resources, "resources");
    }

    /**
     * A spec with defaults: random id, default state dir (removed at the end), default policy, ssh;
     * {@code workdir} may be null for a fresh private one.
     */
    public static SandboxSpec of(Path workdir, List<String> command) {
        return new SandboxSpec(
                randomId(),
                workdir,
                null,
                command,
                Map.of(),
                null,
                null,
                null,
                false,
                false,
                null,
                true,
                ResourceLimits.DEFAULT);
    }

    /** A random id {@code sb-xxxxxx} (36^6 values). */
    public static String randomId() {
        StringBuilder id = new StringBuilder("sb-");
        for (int i = 0; i < 6; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    /** Reads a spec file (JSON). */
    public static SandboxSpec read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new SandboxException(
                    ErrorCode.SPEC_UNREADABLE, "cannot read sandbox spec " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a spec document (JSON); {@code source} names it in errors. */
    public static SandboxSpec parse(String document, String source) {
        return SpecDocument.parse(document, source);
    }

    /** The policy: inline, from the file, or {@link #DEFAULT_POLICY}; parsed and validated. */
    public Policy policy() {
        if (policyYaml != null) {
            return PolicyParser.parse(policyYaml.getBytes(StandardCharsets.UTF_8), "policy of sandbox " + id);
        }
        if (policyFile != null) {
            return PolicyParser.read(policyFile);
        }
        return PolicyParser.parse(DEFAULT_POLICY.getBytes(StandardCharsets.UTF_8), "default policy");
    }

    public SandboxSpec withId(String newId) {
        return new SandboxSpec(
                newId,
                workdir,
                agentWorkdir,
                command,
                env,
                policyFile,
                policyYaml,
                keepState ? stateDir : null,
                keepState,
                tty,
                extraUpstreamCa,
                ssh,
                resources);
    }

    /** This spec with these resource limits (zero fields keep their defaults). */
    public SandboxSpec withResources(ResourceLimits value) {
        return new SandboxSpec(
                id,
                workdir,
                agentWorkdir,
                command,
                env,
                policyFile,
                policyYaml,
                stateDir,
                keepState,
                tty,
                extraUpstreamCa,
                ssh,
                value);
    }

    /** This spec working in the host directory {@code dir} (null: a fresh private one). */
    public SandboxSpec withWorkdir(Path dir) {
        return new SandboxSpec(
                id,
                dir,
                agentWorkdir,
                command,
                env,
                policyFile,
                policyYaml,
                stateDir,
                keepState,
                tty,
                extraUpstreamCa,
                ssh,
                resources);
    }

    public SandboxSpec withEnv(Map<String, String> value) {
        return new SandboxSpec(
                id,
                workdir,
                agentWorkdir,
                command,
                value,
                policyFile,
                policyYaml,
                stateDir,
                keepState,
                tty,
                extraUpstreamCa,
                ssh,
                resources);
    }

    public SandboxSpec withPolicyFile(Path file) {
        return new SandboxSpec(
                id,
                workdir,
                agentWorkdir,
                command,
                env,
                file,
                null,
                stateDir,
                keepState,
                tty,
                extraUpstreamCa,
                ssh,
                resources);
    }

    public SandboxSpec withPolicyYaml(String yaml) {
        return new SandboxSpec(
                id,
                workdir,
                agentWorkdir,
                command,
                env,
                null,
                yaml,
                stateDir,
                keepState,
                tty,
                extraUpstreamCa,
                ssh,
                resources);
    }

    /** This spec keeping its status and logs in {@code dir} after the sandbox ends. */
    public SandboxSpec withStateDir(Path dir) {
        return new SandboxSpec(
                id,
                workdir,
                agentWorkdir,
                command,
                env,
                policyFile,
                policyYaml,
                dir,
                true,
                tty,
                extraUpstreamCa,
                ssh,
                resources);
    }

    public SandboxSpec withTty(boolean value) {
        return new SandboxSpec(
                id,
                workdir,
                agentWorkdir,
                command,
                env,
                policyFile,
                policyYaml,
                stateDir,
                keepState,
                value,
                extraUpstreamCa,
                ssh,
                resources);
    }

    public SandboxSpec withExtraUpstreamCa(Path pem) {
        return new SandboxSpec(
                id,
                workdir,
                agentWorkdir,
                command,
                env,
                policyFile,
                policyYaml,
                stateDir,
                keepState,
                tty,
                pem,
                ssh,
                resources);
    }

    public SandboxSpec withSsh(boolean value) {
        return new SandboxSpec(
                id,
                workdir,
                agentWorkdir,
                command,
                env,
                policyFile,
                policyYaml,
                stateDir,
                keepState,
                tty,
                extraUpstreamCa,
                value,
                resources);
    }

    private static void requireAbsolute(String what, Path path) {
        if (path == null) {
            throw invalid(what + " is required");
        }
        if (!path.isAbsolute()) {
            throw invalid(what + " must be an absolute path: " + path);
        }
    }

    private static void requireEnvName(String name) {
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            throw invalid("invalid environment variable name '" + name + "'");
        }
    }

    static SandboxException invalid(String message) {
        return new SandboxException(ErrorCode.SPEC_INVALID, message);
    }
}

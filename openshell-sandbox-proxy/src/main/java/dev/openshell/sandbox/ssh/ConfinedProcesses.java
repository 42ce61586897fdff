package dev.openshell.sandbox.ssh;

import dev.openshell.sandbox.launch.LaunchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the processes an SSH session (or a gateway session's exec) runs: always through the sandbox launcher (same network
 * namespace, mounts, Landlock, seccomp and user as the agent), with the sandbox's environment.
 *
 * <p>The launcher starts as root and only then drops privileges, so variables a client sends
 * ({@code env} requests) must not steer the dynamic loader or glibc of that root process:
 * {@code LD_*} and glibc's list of unsafe variables are refused, as are names that are not
 * shell identifiers.
 */
public final class ConfinedProcesses {

    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** glibc's UNSECURE_ENVVARS plus what MINA itself sets from the pty request or user name. */
    private static final Set<String> REFUSED = Set.of(
            "GCONV_PATH",
            "GETCONF_DIR",
            "GLIBC_TUNABLES",
            "HOSTALIASES",
            "LOCALDOMAIN",
            "LOCPATH",
            "MALLOC_ARENA_MAX",
            "MALLOC_ARENA_TEST",
            "MALLOC_PERTURB_",
            "MALLOC_TRACE",
            "NIS_PATH",
            "NLSPATH",
            "RESOLV_HOST_CONF",
            "RES_OPTIONS",
            "TMPDIR",
            "TZDIR",
            "COLUMNS",
            "LINES",
            "USER",
            "LOGNAME",
            "HOME",
            "SHELL");

    private final LaunchSpec spec;
    private final Path launcher;
    private final Map<String, String> environment;
    private final String shell;

    public ConfinedProcesses(LaunchSpec spec, Path launcher, Map<String, String> environment) {
        this.spec = spec;
        this.launcher = launcher;
        this.environment = Map.copyOf(environment);
        this.shell = Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
    }

    /**
     * {@code program} on a new pseudo-terminal, as an SSH session with a {@code pty-req} runs it (a
     * gateway session's terminal exec drives the same command).
     */
    public org.apache.sshd.server.command.Command terminal(List<String> program) {
        return new PtyCommand(this, program);
    }

    /** The interactive shell ({@code bash} when present; the sandbox account's own shell is nologin). */
    String shell() {
        return shell;
    }

    /** {@code program} wrapped by the launcher. */
    public List<String> confined(List<String> program) {
        return spec.command(launcher, program);
    }

    /**
     * A builder for {@code command} (already confined, or a trusted wrapper around a confined command)
     * with the sandbox environment plus the accepted session variables.
     */
    public ProcessBuilder builder(List<String> command, Map<String, String> sessionVariables) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(environment(sessionVariables));
        return builder;
    }

    /** The environment a session's process gets: defaults, then the sandbox's, then the client's. */
    Map<String, String> environment(Map<String, String> sessionVariables) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("LANG", "C.UTF-8");
        env.putAll(environment);
        sessionVariables.forEach((name, value) -> {
            if (accepted(name) && value != null) {
                env.put(name, value);
            }
        });
        // The sandbox's own uid has no passwd entry: keep the name the supervisor chose for it.
        String user = environment.getOrDefault("USER", spec.process().runAsUser());
        env.put("USER", user);
        env.put("LOGNAME", user);
        env.put("SHELL", shell);
        env.putIfAbsent("HOME", spec.workdir().toString());
        return env;
    }

    static boolean accepted(String name) {
        return NAME.matcher(name).matches() && !name.startsWith("LD_") && !REFUSED.contains(name);
    }
}

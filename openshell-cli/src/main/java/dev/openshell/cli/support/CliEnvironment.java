package dev.openshell.cli.support;

import dev.openshell.bootstrap.host.HostFacts;
import dev.openshell.bootstrap.host.LinuxHostFacts;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * What one run of the CLI works with besides its arguments: standard input, the environment
 * variables it reads ({@code XDG_CONFIG_HOME}, {@code OPENSHELL_GATEWAY}, ...), whether a person
 * sits at a terminal (prompts and pickers need one), and how wide that terminal is. Tests build
 * one by hand; {@link #system} reads the real process's.
 *
 * @param interactive whether standard input and output are both terminals
 * @param terminalWidth the columns tables may use; 0 when output is not a terminal (no limit)
 * @param host what this host offers for sandboxes ({@code gateway start}, {@code doctor})
 */
public record CliEnvironment(
        InputStream stdin, Map<String, String> env, boolean interactive, IntSupplier terminalWidth, HostFacts host) {

    public CliEnvironment {
        env = Map.copyOf(env);
    }

    /** The real process: its stdin, environment and terminal. */
    public static CliEnvironment system(InputStream stdin) {
        boolean stdoutTty = isTerminal(1);
        Map<String, String> env = System.getenv();
        return new CliEnvironment(
                stdin,
                env,
                stdoutTty && isTerminal(0),
                () -> stdoutTty ? TerminalSize.columns(80) : 0,
                new LinuxHostFacts(env));
    }

    /** An environment for tests and embedders: not interactive, no width limit. */
    public static CliEnvironment of(InputStream stdin, Map<String, String> env) {
        return new CliEnvironment(stdin, env, false, () -> 0, new LinuxHostFacts(env));
    }

    public CliEnvironment withHost(HostFacts host) {
        return new CliEnvironment(stdin, env, interactive, terminalWidth, host);
    }

    public CliEnvironment withInteractive(boolean interactive) {
        return new CliEnvironment(stdin, env, interactive, terminalWidth, host);
    }

    /** The variable's value, or null when unset or empty. */
    public String get(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /**
     * Whether file descriptor {@code fd} of this process is a terminal: its link in {@code
     * /proc/self/fd} names a tty device. Cheaper than a {@code Console} and decided per descriptor.
     */
    public static boolean isTerminal(int fd) {
        try {
            String target =
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.startsWith("/dev/console");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}

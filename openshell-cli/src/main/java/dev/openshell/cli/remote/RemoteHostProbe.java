package dev.openshell.cli.remote;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.support.CliErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asks a remote host, in one read-only shell command, what {@link RemoteHostFacts} holds. Java is
 * looked for as {@code $JAVA_HOME/bin/java}, then {@code java} on the {@code PATH}, then every
 * {@code /usr/lib/jvm/}{@code *}{@code /bin/java}; {@code ip} and {@code nft} in the system
 * directories, where the local driver runs them from.
 */
public final class RemoteHostProbe {

    private static final String SCRIPT = String.join(
            "\n",
            "echo \"uid=$(id -u)\"",
            "echo \"home=$HOME\"",
            "echo \"ssh=$SSH_CONNECTION\"",
            "echo \"kernel=$(uname -s)\"",
            "echo \"machine=$(uname -m)\"",
            "[ -e /proc/self/ns/net ] && echo netns=yes",
            "echo \"cgroup2=$(cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null)\"",
            "echo \"cgroup1=$(awk '$3 == \"cgroup\" { printf \"%s,\", $4 }' /proc/mounts 2>/dev/null)\"",
            "for t in ip nft sha256sum setsid; do",
            "  for d in /usr/sbin /sbin /usr/bin /bin; do",
            "    if [ -x \"$d/$t\" ]; then echo \"tool=$t=$d/$t\"; break; fi",
            "  done",
            "done",
            "for j in \"${JAVA_HOME:+$JAVA_HOME/bin/java}\" \"$(command -v java 2>/dev/null)\" /usr/lib/jvm/*/bin/java; do",
            "  if [ -n \"$j\" ] && [ -x \"$j\" ]; then",
            "    echo \"java=$(readlink -f \"$j\")|$(\"$j\" -version 2>&1 | head -n 1)\"",
            "  fi",
            "done",
            "exit 0");

    private RemoteHostProbe() {}

    public static RemoteHostFacts probe(RemoteShell shell) {
        RemoteShell.Result r = shell.run(SCRIPT, Duration.ofSeconds(60));
        if (!r.ok()) {
            throw CliErrors.of(
                    ErrorCode.REMOTE_COMMAND_FAILED,
                    "cannot inspect " + shell.destination() + ": " + r.lastError(),
                    "check that the login runs a POSIX shell: ssh " + shell.destination() + " true");
        }
        return parse(r.stdout(), shell.connectedAddress());
    }

    static RemoteHostFacts parse(String output, String fallbackAddress) {
        int uid = -1;
        String home = null;
        String serverAddress = fallbackAddress;
        String kernel = "unknown";
        String machine = "unknown";
        boolean netns = false;
        Set<String> controllers = new java.util.TreeSet<>();
        Map<String, String> tools = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        List<RemoteHostFacts.Java> javas = new ArrayList<>();
        for (String line : output.lines().toList()) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            switch (key) {
                case "uid" -> uid = parseInt(value);
                case "home" -> home = value;
                case "ssh" -> {
                    // SSH_CONNECTION: client address, client port, server address, server port
                    String[] f = value.strip().split("\\s+");
                    if (f.length == 4) {
                        serverAddress = f[2];
                    }
                }
                case "kernel" -> kernel = value;
                case "machine" -> machine = value;
                case "netns" -> netns = true;
                case "cgroup2" -> controllers.addAll(List.of(value.strip().split("\\s+")));
                case "cgroup1" -> controllers.addAll(List.of(value.strip().split(",")));
                case "tool" -> {
                    int eq2 = value.indexOf('=');
                    if (eq2 > 0) {
                        tools.putIfAbsent(value.substring(0, eq2), value.substring(eq2 + 1));
                    }
                }
                case "java" -> {
                    int bar = value.indexOf('|');
                    String path = bar >= 0 ? value.substring(0, bar) : value;
                    if (!path.isEmpty() && seen.add(path)) {
                        javas.add(new RemoteHostFacts.Java(path, bar >= 0 ? value.substring(bar + 1) : ""));
                    }
                }
                default -> {
                    // a later probe's key
                }
            }
        }
        if (home == null || !home.startsWith("/") || home.contains("\n")) {
            throw CliErrors.of(
                    ErrorCode.REMOTE_COMMAND_FAILED,
                    "the remote login has no usable home directory (HOME=" + home + ")",
                    "log in as a user with a home directory");
        }
        return new RemoteHostFacts(
                uid,
                home,
                serverAddress,
                machine,
                kernel,
                javas,
                tools,
                netns,
                controllers.containsAll(List.of("memory", "pids")));
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

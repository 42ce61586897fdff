package dev.openshell.cli.remote;

import dev.openshell.sandbox.ssh.ShellWords;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a remote gateway lives on its host, under the login's home: the distribution in {@code
 * ~/.local/share/openshell/dist/<version>/} (the jars, shared by the gateways of that version), the
 * gateway's data in {@code ~/.local/share/openshell/gateways/<name>/} (as for a gateway started
 * there with {@code openshell gateway start}), and the state of the {@code openshell} that runs
 * there on this CLI's behalf in {@code ~/.local/share/openshell/remote/} (its registry and cache,
 * kept apart from the host user's own configuration).
 *
 * @param home the remote login's home directory
 * @param version the distribution's version
 */
public record RemoteLayout(String home, String version) {

    /** The jars copied to the host, by file name. */
    public static final List<String> FILES = List.of("openshell.jar", "openshell-gateway.jar", "openshell-sandbox.jar");

    public String root() {
        return home + "/.local/share/openshell";
    }

    public String distDir() {
        return root() + "/dist/" + version;
    }

    public String dataDir(String gateway) {
        return root() + "/gateways/" + gateway;
    }

    public String stateDir() {
        return root() + "/remote";
    }

    /**
     * {@code ~/.local/share/openshell/remote/openshell}: a script that runs the copied {@code
     * openshell.jar} with {@code java}, its XDG directories set so the gateway's data lands in
     * {@link #dataDir} and its own registry and cache in {@link #stateDir}; C1 only and the serial
     * GC, as {@code bin/openshell} starts the CLI. Stop and destroy run it, and so can a person on
     * the host.
     */
    public String launcher() {
        return stateDir() + "/openshell";
    }

    /** The shell command that (re)writes {@link #launcher()} for {@code java}. */
    public String installLauncher(String java) {
        String script = "#!/bin/sh\n"
                + "# openshell as 'openshell gateway start --remote' runs it on this host\n"
                + "exec "
                + ShellWords.join(List.of(
                        "env",
                        "HOME=" + home,
                        "XDG_DATA_HOME=" + home + "/.local/share",
                        "XDG_CONFIG_HOME=" + stateDir() + "/config",
                        "XDG_CACHE_HOME=" + stateDir() + "/cache",
                        // No JDK AOT cache for the gateway there: its training run writes the cache
                        // when the gateway exits, in a JVM of its own that a stop does not wait for.
                        "OPENSHELL_GATEWAY_AOT=0",
                        java,
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-jar",
                        distDir() + "/openshell.jar"))
                + " \"$@\"\n";
        String tmp = launcher() + ".tmp";
        return "umask 077 && mkdir -p " + ShellWords.quote(stateDir()) + " && printf '%s' " + ShellWords.quote(script)
                + " > " + ShellWords.quote(tmp) + " && chmod 700 " + ShellWords.quote(tmp) + " && mv -f "
                + ShellWords.quote(tmp) + " " + ShellWords.quote(launcher());
    }

    /** The command line that runs {@code openshell ARGS} on the host through {@link #launcher()}. */
    public String openshell(List<String> args) {
        List<String> words = new ArrayList<>();
        words.add(launcher());
        words.addAll(args);
        return "cd / && exec " + ShellWords.join(words);
    }
}

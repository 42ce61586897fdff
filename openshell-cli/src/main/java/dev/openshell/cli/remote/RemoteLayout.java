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
     * The command line that runs {@code openshell ARGS} on the host with {@code java}: its XDG
     * directories set so the gateway's data lands in {@link #dataDir} and its own registry in
     * {@link #stateDir}; C1 only and the serial GC, as {@code bin/openshell} starts the CLI.
     */
    public String openshell(String java, List<String> args) {
        List<String> words = new ArrayList<>(List.of(
                "env",
                "HOME=" + home,
                "XDG_DATA_HOME=" + home + "/.local/share",
                "XDG_CONFIG_HOME=" + stateDir() + "/config",
                "XDG_CACHE_HOME=" + stateDir() + "/cache",
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                distDir() + "/openshell.jar"));
        words.addAll(args);
        return "cd / && exec " + ShellWords.join(words);
    }
}

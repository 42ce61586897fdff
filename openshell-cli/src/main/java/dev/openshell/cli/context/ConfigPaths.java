package dev.openshell.cli.context;

import dev.openshell.cli.support.CliEnvironment;
import java.nio.file.Path;

/**
 * Where the CLI keeps its state, following the XDG base directories: registered gateways and
 * their credentials under {@code $XDG_CONFIG_HOME/openshell} (default {@code ~/.config/openshell}),
 * the data of gateways this host runs under {@code $XDG_DATA_HOME/openshell} (default {@code
 * ~/.local/share/openshell}).
 */
public record ConfigPaths(Path configDir, Path dataDir) {

    public static ConfigPaths from(CliEnvironment env) {
        Path home = Path.of(env.get("HOME") != null ? env.get("HOME") : System.getProperty("user.home"));
        Path config = absolute(env.get("XDG_CONFIG_HOME"), home.resolve(".config"));
        Path data = absolute(env.get("XDG_DATA_HOME"), home.resolve(".local/share"));
        return new ConfigPaths(config.resolve("openshell"), data.resolve("openshell"));
    }

    /** The data directory of the local gateway {@code name}: database, keys, TLS material, logs. */
    public Path gatewayDataDir(String name) {
        return dataDir.resolve("gateways").resolve(name);
    }

    // XDG says a relative value is invalid and must be ignored.
    private static Path absolute(String value, Path fallback) {
        if (value == null) {
            return fallback;
        }
        Path p = Path.of(value);
        return p.isAbsolute() ? p : fallback;
    }
}

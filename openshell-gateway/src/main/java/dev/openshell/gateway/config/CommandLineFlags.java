package dev.openshell.gateway.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the gateway's short flags ({@code --data-dir D}, {@code --port=P}, ...) into Spring
 * properties ({@code --openshell.gateway.data-dir=D}); any other argument passes through, so every
 * Spring property can still be given as {@code --name=value}. An unknown short flag is an error
 * rather than silently ignored.
 */
public final class CommandLineFlags {

    private static final Map<String, String> FLAGS = Map.of(
            "--data-dir", "openshell.gateway.data-dir",
            "--port", "openshell.gateway.port",
            "--bind", "openshell.gateway.bind",
            "--db-url", "openshell.gateway.db-url",
            "--driver", "openshell.gateway.driver");

    /** What {@code --help} prints. */
    public static final String USAGE = """
            Usage: java -jar openshell-gateway.jar --data-dir D [--port P] [--bind A] [--db-url U] [--driver N]
              --data-dir D   database, keys, TLS material and logs (env OPENSHELL_GATEWAY_DATA_DIR); required
              --port P       HTTPS port, default 8443 (env OPENSHELL_GATEWAY_PORT)
              --bind A       listen address, default 127.0.0.1 (env OPENSHELL_GATEWAY_BIND)
              --db-url U     jdbc:postgresql://... ; default SQLite in the data dir (env OPENSHELL_GATEWAY_DB_URL)
              --driver N     compute driver, default local (env OPENSHELL_GATEWAY_DRIVER)
            Any other setting: --openshell.gateway.<name>=<value> (see the gateway README).
            """;

    private CommandLineFlags() {}

    /** Fails with one line unless the data directory is given as a flag, a property or in the environment. */
    public static void requireDataDir(String[] springArgs, java.util.Map<String, String> env) {
        boolean given = java.util.Arrays.stream(springArgs).anyMatch(a -> a.startsWith("--openshell.gateway.data-dir="))
                || env.containsKey("OPENSHELL_GATEWAY_DATA_DIR")
                || System.getProperty("openshell.gateway.data-dir") != null;
        if (!given) {
            throw new IllegalArgumentException("--data-dir is required (or OPENSHELL_GATEWAY_DATA_DIR)");
        }
    }

    public static String[] translate(String[] args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String property = FLAGS.get(flag);
            if (property == null) {
                if (arg.startsWith("--") && !arg.contains("=") && !arg.contains(".")) {
                    throw new IllegalArgumentException("unknown flag " + arg + "; known: "
                            + String.join(", ", FLAGS.keySet().stream().sorted().toList()));
                }
                out.add(arg);
                continue;
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            out.add("--" + property + "=" + value);
        }
        return out.toArray(String[]::new);
    }
}

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

    private CommandLineFlags() {}

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

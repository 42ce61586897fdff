package dev.openshell.cli.provider;

import dev.openshell.api.SafeText;
import dev.openshell.cli.support.CliEnvironment;
import dev.openshell.cli.support.CliErrors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials from the command line: {@code --credential KEY} (the value this shell has, so it
 * never appears in the process list or shell history), {@code --credential KEY=VALUE}, or {@code
 * --from-existing} (every variable the type is known to use that is set). Values are never
 * printed, not even in errors.
 */
public final class CredentialFlags {

    private CredentialFlags() {}

    public static Map<String, String> collect(
            String type, List<String> specs, boolean fromExisting, CliEnvironment env) {
        Map<String, String> out = new LinkedHashMap<>();
        if (fromExisting) {
            KnownProviders.Type known = KnownProviders.type(type)
                    .orElseThrow(() -> CliErrors.usage(
                            "--from-existing does not know the type " + SafeText.quote(type),
                            "known types: " + String.join(", ", KnownProviders.names())
                                    + "; otherwise give --credential KEY"));
            for (String var : known.envVars()) {
                if (env.get(var) != null) {
                    out.put(var, env.get(var));
                }
            }
            if (out.isEmpty()) {
                throw CliErrors.usage(
                        "--from-existing: none of " + String.join(", ", known.envVars()) + " is set in this shell",
                        "export one of them, or give --credential KEY=VALUE");
            }
        }
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String key = eq < 0 ? spec : spec.substring(0, eq);
            String value = eq < 0 ? env.get(key) : spec.substring(eq + 1);
            if (value == null) {
                throw CliErrors.usage(
                        "--credential " + SafeText.quote(key) + " is not set in this shell",
                        "export " + key + " first, or give --credential " + key + "=VALUE");
            }
            out.put(key, value);
        }
        return out;
    }
}

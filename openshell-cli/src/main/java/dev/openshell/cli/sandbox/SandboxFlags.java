package dev.openshell.cli.sandbox;

import dev.openshell.api.SafeText;
import dev.openshell.api.sandbox.ResourceLimits;
import dev.openshell.cli.support.CliEnvironment;
import dev.openshell.cli.support.CliErrors;
import dev.openshell.sandbox.cgroup.ByteSize;
import dev.openshell.sandbox.error.SandboxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The flags {@code sandbox create} and {@code apply} share: {@code --env}, {@code --label}, the resource limits. */
public final class SandboxFlags {

    private SandboxFlags() {}

    /**
     * {@code K=V}, or {@code K} alone for the value this shell has (as {@code docker run -e K});
     * a {@code K} that is unset here is an error rather than an empty value.
     */
    public static Map<String, String> env(List<String> specs, CliEnvironment env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String key = eq < 0 ? spec : spec.substring(0, eq);
            String value = eq < 0 ? env.get(key) : spec.substring(eq + 1);
            if (value == null) {
                throw CliErrors.usage(
                        "--env " + SafeText.quote(key) + ": it has no '=VALUE' and is not set in this shell",
                        "give --env KEY=VALUE, or export KEY first");
            }
            out.put(key, value);
        }
        return out;
    }

    /** {@code k=v} pairs; the gateway checks the label rules. */
    public static Map<String, String> labels(List<String> specs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0) {
                throw CliErrors.usage("--label " + SafeText.quote(spec) + " is not KEY=VALUE", "e.g. --label team=ml");
            }
            out.put(spec.substring(0, eq), spec.substring(eq + 1));
        }
        return out;
    }

    /** The limits given, or null when none is (the driver's defaults). */
    public static ResourceLimits resources(String memory, Double cpus, Integer pids) {
        if (memory == null && cpus == null && pids == null) {
            return null;
        }
        Long bytes = null;
        if (memory != null) {
            try {
                bytes = ByteSize.parse(memory, "--memory");
            } catch (SandboxException e) {
                throw CliErrors.usage(e.getMessage(), "sizes are like 512m, 2g, 1.5g or a number of bytes");
            }
        }
        ResourceLimits limits = new ResourceLimits(bytes, cpus, pids);
        dev.openshell.api.validation.Violations v = new dev.openshell.api.validation.Violations();
        limits.validate(v, "resources");
        v.throwIfAny();
        return limits;
    }
}

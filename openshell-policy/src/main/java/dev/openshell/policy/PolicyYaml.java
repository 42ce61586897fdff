package dev.openshell.policy;

import dev.openshell.policy.model.Policy;
import dev.openshell.policy.yaml.CanonicalYamlWriter;

/**
 * Canonical YAML serialisation: fixed key order, defaults written out, so that {@code
 * parse(write(p)).equals(p)} and equal policies serialise identically.
 *
 * <p>Order: {@code version}, {@code filesystem_policy} (include_workdir, read_only, read_write),
 * {@code landlock} (compatibility), {@code process} (run_as_user, run_as_group), {@code
 * network_policies} in map order, each with {@code name} (when set), {@code endpoints} (host,
 * port or ports, protocol, enforcement when audit, access, rules, deny_rules, allowed_ips,
 * request_limits when set) and
 * {@code binaries} ({@code - path: ...}). Strings are quoted only where YAML needs it.
 */
public final class PolicyYaml {

    private PolicyYaml() {}

    public static String write(Policy policy) {
        return CanonicalYamlWriter.write(policy);
    }
}

package dev.openshell.policy.yaml;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.NetworkPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.ProcessPolicy;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns the composed YAML tree of a policy document into the policy model as written, reporting
 * structural problems (types, unknown and duplicate keys, enum spellings). Value rules are left
 * to {@link dev.openshell.policy.validate.PolicyChecker}, which runs on the model afterwards.
 */
final class PolicyTreeReader {

    static final List<String> TOP = List.of("version", "filesystem_policy", "landlock", "process", "network_policies");
    static final List<String> FILESYSTEM = List.of("include_workdir", "read_only", "read_write", "exec_from_writable");
    static final List<String> LANDLOCK = List.of("compatibility");
    static final List<String> PROCESS = List.of("run_as_user", "run_as_group");

    private PolicyTreeReader() {}

    /** The model, or null when the document is not a mapping at all. */
    static Policy read(Node root, Walk walk) {
        Fields f = walk.fields(root, At.ROOT, At.ROOT, TOP, "a mapping with `version: 1` at the top level");
        if (f == null) {
            return null;
        }
        int version = Policy.SCHEMA_VERSION;
        At versionAt = At.ROOT.key("version");
        Node v = f.get("version");
        if (v == null) {
            walk.error(root, "version", "`version: 1` is required");
            walk.dirty(versionAt);
        } else {
            Integer i = walk.integer(v, versionAt, versionAt);
            if (i != null) {
                version = i;
            }
        }
        FilesystemPolicy filesystem = filesystem(f.get("filesystem_policy"), walk);
        LandlockPolicy landlock = landlock(f.get("landlock"), walk);
        ProcessPolicy process = process(f.get("process"), walk);
        Node network = f.get("network_policies");
        Map<String, NetworkPolicy> policies =
                network == null ? Map.of() : NetworkTreeReader.read(network, At.ROOT.key("network_policies"), walk);
        return new Policy(version, filesystem, landlock, process, policies);
    }

    /** Absent: the baseline; written: exactly what it says (an omitted list is empty). */
    private static FilesystemPolicy filesystem(Node node, Walk walk) {
        if (node == null) {
            return FilesystemPolicy.BASELINE;
        }
        At at = At.ROOT.key("filesystem_policy");
        Fields f = walk.fields(node, at, at, FILESYSTEM, "a mapping");
        if (f == null) {
            return FilesystemPolicy.DEFAULT;
        }
        Boolean include = f.get("include_workdir") == null
                ? Boolean.TRUE
                : walk.bool(f.get("include_workdir"), at.key("include_workdir"), at);
        List<String> readOnly =
                f.get("read_only") == null ? List.of() : walk.strings(f.get("read_only"), at.key("read_only"), at);
        List<String> readWrite =
                f.get("read_write") == null ? List.of() : walk.strings(f.get("read_write"), at.key("read_write"), at);
        Boolean exec = f.get("exec_from_writable") == null
                ? Boolean.FALSE
                : walk.bool(f.get("exec_from_writable"), at.key("exec_from_writable"), at);
        return new FilesystemPolicy(include == null || include, readOnly, readWrite, exec != null && exec);
    }

    private static LandlockPolicy landlock(Node node, Walk walk) {
        if (node == null) {
            return LandlockPolicy.DEFAULT;
        }
        At at = At.ROOT.key("landlock");
        Fields f = walk.fields(node, at, at, LANDLOCK, "a mapping");
        if (f == null || f.get("compatibility") == null) {
            return LandlockPolicy.DEFAULT;
        }
        At cAt = at.key("compatibility");
        String value = walk.string(f.get("compatibility"), cAt, at, false);
        for (LandlockPolicy.Compatibility c : LandlockPolicy.Compatibility.values()) {
            if (c.yaml().equals(value)) {
                return new LandlockPolicy(c);
            }
        }
        if (value != null) {
            walk.error(
                    f.get("compatibility"), cAt.yaml(), "`compatibility` must be one of best_effort, hard_requirement");
        }
        return LandlockPolicy.DEFAULT;
    }

    private static ProcessPolicy process(Node node, Walk walk) {
        if (node == null) {
            return ProcessPolicy.DEFAULT;
        }
        At at = At.ROOT.key("process");
        Fields f = walk.fields(node, at, at, PROCESS, "a mapping");
        if (f == null) {
            return ProcessPolicy.DEFAULT;
        }
        String user = identity(f.get("run_as_user"), at.key("run_as_user"), at, walk);
        String group = identity(f.get("run_as_group"), at.key("run_as_group"), at, walk);
        return new ProcessPolicy(user, group);
    }

    private static String identity(Node node, At at, At owner, Walk walk) {
        if (node == null) {
            return ProcessPolicy.DEFAULT_USER;
        }
        String s = walk.string(node, at, owner, true);
        return s == null ? ProcessPolicy.DEFAULT_USER : s;
    }
}

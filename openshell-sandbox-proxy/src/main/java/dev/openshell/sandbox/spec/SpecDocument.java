package dev.openshell.sandbox.spec;

import dev.openshell.sandbox.cgroup.ByteSize;
import dev.openshell.sandbox.cgroup.CgroupException;
import dev.openshell.sandbox.cgroup.ResourceLimits;
import dev.openshell.sandbox.json.SandboxJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a sandbox spec's JSON (Jackson's tree model), checking every key and type with an error
 * that names the key: an unknown key, a duplicate key, a string where a list belongs and the like
 * are {@code spec_invalid}, never silently dropped.
 */
final class SpecDocument {

    private static final Set<String> KEYS = Set.of(
            "id",
            "workdir",
            "agent_workdir",
            "command",
            "env",
            "policy_file",
            "policy",
            "state_dir",
            "keep_state",
            "tty",
            "extra_upstream_ca",
            "ssh",
            "resources");
    private static final Set<String> RESOURCE_KEYS = Set.of("memory", "cpus", "pids", "tmp_size");

    private final JsonNode root;
    private final String source;

    private SpecDocument(JsonNode root, String source) {
        this.root = root;
        this.source = source;
    }

    /** Parses {@code document}; {@code source} names it in errors. */
    static SandboxSpec parse(String document, String source) {
        JsonNode root;
        try {
            root = SandboxJson.mapper().readTree(document);
        } catch (JacksonException e) {
            var at = e.getLocation();
            String where = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw SandboxSpec.invalid(source + where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw SandboxSpec.invalid(source + ": a spec is a JSON object");
        }
        for (String key : root.propertyNames()) {
            if (!KEYS.contains(key)) {
                throw SandboxSpec.invalid(source + ": unknown key '" + key + "' (known: " + known(KEYS) + ")");
            }
        }
        return new SpecDocument(root, source).spec();
    }

    private SandboxSpec spec() {
        Path stateDir = path("state_dir");
        return new SandboxSpec(
                string("id", SandboxSpec.randomId()),
                path("workdir"),
                path("agent_workdir"),
                stringList("command"),
                stringMap("env"),
                path("policy_file"),
                string("policy", null),
                stateDir,
                bool("keep_state", stateDir != null),
                bool("tty", false),
                path("extra_upstream_ca"),
                bool("ssh", true),
                resources("resources"));
    }

    private JsonNode value(String key) {
        JsonNode value = root.get(key);
        return value == null || value.isNull() ? null : value;
    }

    private String string(String key, String fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isString()) {
            throw SandboxSpec.invalid(source + ": '" + key + "' must be a string");
        }
        return value.stringValue();
    }

    private Path path(String key) {
        String value = string(key, null);
        return value == null ? null : Path.of(value);
    }

    private boolean bool(String key, boolean fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw SandboxSpec.invalid(source + ": '" + key + "' must be true or false");
        }
        return value.booleanValue();
    }

    private List<String> stringList(String key) {
        JsonNode value = value(key);
        if (value == null || !value.isArray()) {
            throw SandboxSpec.invalid(source + ": '" + key + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isString()) {
                throw SandboxSpec.invalid(source + ": '" + key + "' must be a list of strings");
            }
            out.add(item.stringValue());
        }
        return out;
    }

    /** Strings, numbers and booleans, each as its JSON text. */
    private Map<String, String> stringMap(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw SandboxSpec.invalid(source + ": '" + key + "' must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
            JsonNode v = e.getValue();
            if (!(v.isString() || v.isNumber() || v.isBoolean())) {
                throw SandboxSpec.invalid(source + ": " + key + "." + e.getKey() + " must be a string");
            }
            out.put(e.getKey(), v.isString() ? v.stringValue() : v.asString());
        }
        return out;
    }

    private ResourceLimits resources(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return ResourceLimits.DEFAULT;
        }
        if (!value.isObject()) {
            throw SandboxSpec.invalid(source + ": '" + key + "' must be an object (memory, cpus, pids, tmp_size)");
        }
        for (String name : value.propertyNames()) {
            if (!RESOURCE_KEYS.contains(name)) {
                throw SandboxSpec.invalid(
                        source + ": unknown key '" + key + "." + name + "' (known: " + known(RESOURCE_KEYS) + ")");
            }
        }
        try {
            return new ResourceLimits(
                    size(value.get("memory"), key + ".memory"),
                    cpus(value.get("cpus"), key + ".cpus"),
                    (int) count(value.get("pids"), key + ".pids"),
                    size(value.get("tmp_size"), key + ".tmp_size"));
        } catch (CgroupException e) {
            throw SandboxSpec.invalid(source + ": " + e.getMessage());
        }
    }

    private long size(JsonNode value, String what) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isString()) {
            return ByteSize.parse(value.stringValue(), what);
        }
        throw SandboxSpec.invalid(source + ": " + what + " must be a size such as \"512m\" or a number of bytes");
    }

    private double cpus(JsonNode value, String what) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        throw SandboxSpec.invalid(source + ": " + what + " must be a number such as 1.5");
    }

    private long count(JsonNode value, String what) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        throw SandboxSpec.invalid(source + ": " + what + " must be a whole number");
    }

    private static String known(Set<String> keys) {
        return String.join(", ", keys.stream().sorted().toList());
    }
}

package dev.openshell.policy.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The entries of one YAML mapping after key checks: keys must be scalars, appear once, and (for
 * schema mappings) be known. Duplicates and unknown keys are reported at the key's position; the
 * first occurrence of a duplicate is kept.
 */
final class Fields {

    private final Map<String, NodeTuple> entries;
    private final boolean clean;

    private Fields(Map<String, NodeTuple> entries, boolean clean) {
        this.entries = entries;
        this.clean = clean;
    }

    static Fields read(Walk walk, MappingNode mapping, At at, List<String> known) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        boolean clean = true;
        for (NodeTuple t : mapping.getValue()) {
            Node keyNode = t.getKeyNode();
            if (keyNode.getTag().equals(Tag.MERGE)) {
                walk.error(keyNode, at.yaml(), "merge keys (`<<`) are not supported; write the keys out");
                walk.dirty(at);
                clean = false;
                continue;
            }
            if (!(keyNode instanceof ScalarNode ks) || ks.getTag().equals(Tag.NULL)) {
                walk.error(keyNode, at.yaml(), "mapping keys must be strings, got " + Walk.typeName(keyNode));
                walk.dirty(at);
                clean = false;
                continue;
            }
            String key = ks.getValue();
            String keyPath = at.key(key).yaml();
            NodeTuple first = entries.get(key);
            if (first != null) {
                walk.error(
                        keyNode,
                        keyPath,
                        "duplicate key `" + key + "` (first defined on line "
                                + (first.getKeyNode().getStartMark().getLine() + 1) + ")");
                walk.dirty(at);
                clean = false;
                continue;
            }
            if (known != null && !known.contains(key)) {
                String suggestion = KeySuggestions.closest(key, known);
                walk.error(
                        keyNode,
                        keyPath,
                        "unknown key `" + key + "`; "
                                + (suggestion != null
                                        ? "did you mean `" + suggestion + "`?"
                                        : "expected one of " + String.join(", ", known)));
                walk.dirty(at);
                clean = false;
                continue;
            }
            entries.put(key, t);
        }
        return new Fields(entries, clean);
    }

    /**
     * Whether every key was accepted. A missing required key is reported only then: after an
     * unknown or duplicate key, that error already says what was expected.
     */
    boolean clean() {
        return clean;
    }

    /** The value node of {@code key}, or null when absent. */
    Node get(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    /** The key node of {@code key}, or null when absent. */
    Node keyNode(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getKeyNode();
    }

    /** Keys in document order. */
    Iterable<String> keys() {
        return entries.keySet();
    }
}

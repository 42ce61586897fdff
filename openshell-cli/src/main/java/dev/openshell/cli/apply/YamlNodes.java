package dev.openshell.cli.apply;

import dev.openshell.api.SafeText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads an apply file's YAML node tree with locations, collecting every problem as {@code
 * FILE:LINE:COLUMN: PATH: MESSAGE} instead of stopping at the first, and refusing unknown keys
 * with a suggestion: a typo in a declarative file must not be a setting silently ignored.
 */
final class YamlNodes {

    private final String file;
    private final List<String> errors = new ArrayList<>();

    YamlNodes(String file) {
        this.file = file;
    }

    List<String> errors() {
        return errors;
    }

    void error(Node at, String path, String message) {
        String where = at == null
                ? file
                : file + ":" + (at.getStartMark().getLine() + 1) + ":"
                        + (at.getStartMark().getColumn() + 1);
        errors.add(where + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    /** The mapping's entries by key; an unknown key or a key that is not a string is an error. */
    Map<String, Node> mapping(Node node, String path, Set<String> known) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode map)) {
            error(node, path, "must be a mapping");
            return out;
        }
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                error(t.getKeyNode(), path, "keys must be strings");
                continue;
            }
            String k = key.getValue();
            String field = path.isEmpty() ? k : path + "." + k;
            if (!known.contains(k)) {
                String suggestion = dev.openshell.policy.yaml.KeySuggestions.closest(k, known);
                error(
                        key,
                        field,
                        "unknown key " + SafeText.quote(k)
                                + (suggestion != null
                                        ? "; did you mean '" + suggestion + "'?"
                                        : "; known: "
                                                + String.join(
                                                        ", ",
                                                        known.stream().sorted().toList())));
                continue;
            }
            if (out.put(k, t.getValueNode()) != null) {
                error(key, field, "given twice");
            }
        }
        return out;
    }

    List<Node> sequence(Node node, String path) {
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof SequenceNode seq)) {
            error(node, path, "must be a list");
            return List.of();
        }
        return seq.getValue();
    }

    String string(Node node, String path) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof ScalarNode s)) {
            error(node, path, "must be a string");
            return null;
        }
        return s.getValue();
    }

    List<String> strings(Node node, String path) {
        List<String> out = new ArrayList<>();
        List<Node> items = sequence(node, path);
        for (int i = 0; i < items.size(); i++) {
            String s = string(items.get(i), path + "[" + i + "]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    Map<String, String> stringMap(Node node, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null) {
            return out;
        }
        if (!(node instanceof MappingNode map)) {
            error(node, path, "must be a mapping of strings");
            return out;
        }
        for (NodeTuple t : map.getValue()) {
            String k = string(t.getKeyNode(), path);
            String v = string(t.getValueNode(), path + "." + k);
            if (k != null && v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    Boolean bool(Node node, String path) {
        String s = string(node, path);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                error(node, path, "must be true or false");
                yield null;
            }
        };
    }

    Number number(Node node, String path) {
        String s = string(node, path);
        if (s == null) {
            return null;
        }
        try {
            return s.contains(".") ? Double.parseDouble(s) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            error(node, path, "must be a number");
            return null;
        }
    }
}

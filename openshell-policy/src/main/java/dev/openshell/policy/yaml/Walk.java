package dev.openshell.policy.yaml;

import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.validate.Problems;
import dev.openshell.policy.validate.SourceMap;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * State of one walk over a composed YAML tree: where errors go, where model elements came from,
 * and typed reads of scalar, list and mapping nodes that report type errors by name.
 */
final class Walk {

    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9][0-9]*)");

    final SourceMap sources;
    final Problems problems;

    Walk(SourceMap sources, Problems problems) {
        this.sources = sources;
        this.problems = problems;
    }

    /** Reports an error at a node, under its YAML path. */
    void error(Node node, String yamlPath, String message) {
        Mark m = node == null ? null : node.getStartMark();
        int line = m == null ? 0 : m.getLine() + 1;
        int column = m == null ? 0 : m.getColumn() + 1;
        problems.add(new PolicyError(yamlPath, line, column, message));
    }

    /** Records where the model element {@code at.model()} came from. */
    void record(At at, Node node) {
        Mark m = node.getStartMark();
        sources.put(
                at.model(),
                new SourceMap.Location(at.yaml(), m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1));
    }

    void dirty(At owner) {
        sources.markDirty(owner.model());
    }

    /** Reads a mapping with the given known keys (null: any keys); null when not a mapping. */
    Fields fields(Node node, At at, At owner, List<String> known, String expected) {
        record(at, node);
        if (!(node instanceof MappingNode mapping)) {
            typeError(node, at, owner, expected);
            return null;
        }
        return Fields.read(this, mapping, at, known);
    }

    /**
     * The value of a key the mapping must have, or null after reporting {@code message} and
     * marking {@code owner} incomplete. Not reported when the mapping had an unknown key: that
     * error (often a misspelling of this key) already explains it.
     */
    Node required(Fields f, String key, Node mapping, At at, At owner, String message) {
        Node value = f.get(key);
        if (value == null) {
            if (f.clean()) {
                error(mapping, at.yaml(), message);
            }
            dirty(owner);
        }
        return value;
    }

    /** Items of a list node; null (after reporting) when not a list. */
    List<Node> sequence(Node node, At at, At owner, String expected) {
        record(at, node);
        if (!(node instanceof SequenceNode seq)) {
            typeError(node, at, owner, expected);
            return null;
        }
        return seq.getValue();
    }

    /**
     * A string scalar; with {@code numbersAsText}, integers are accepted as their text (ids,
     * names, query values). Null after reporting otherwise.
     */
    String string(Node node, At at, At owner, boolean numbersAsText) {
        record(at, node);
        if (node instanceof ScalarNode s
                && (s.getTag().equals(Tag.STR) || (numbersAsText && s.getTag().equals(Tag.INT)))) {
            return s.getValue();
        }
        typeError(node, at, owner, "a string");
        return null;
    }

    /** A decimal integer scalar, or null after reporting. */
    Integer integer(Node node, At at, At owner) {
        record(at, node);
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            String text = s.getValue();
            if (!DECIMAL.matcher(text).matches()) {
                error(node, at.yaml(), "expected a decimal integer, got `" + text + "`");
                dirty(owner);
                return null;
            }
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException e) {
                error(node, at.yaml(), "integer `" + text + "` is out of range");
                dirty(owner);
                return null;
            }
        }
        typeError(node, at, owner, "an integer");
        return null;
    }

    /** A boolean scalar ({@code true}/{@code false}, YAML 1.1 spellings tolerated), or null. */
    Boolean bool(Node node, At at, At owner) {
        record(at, node);
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            String v = s.getValue().toLowerCase(java.util.Locale.ROOT);
            return v.equals("true") || v.equals("yes") || v.equals("on");
        }
        typeError(node, at, owner, "a boolean (true or false)");
        return null;
    }

    /** A list of strings; bad items are reported and dropped, keeping model indices dense. */
    List<String> strings(Node node, At at, At owner) {
        List<Node> items = sequence(node, at, owner, "a list of strings");
        List<String> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            At itemAt = at.item(out.size(), i);
            if (!(item instanceof ScalarNode)) {
                error(item, itemAt.yaml(), "expected a list of strings, got " + typeName(item) + " as item");
                dirty(owner);
                continue;
            }
            String s = string(item, itemAt, owner, false);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    void typeError(Node node, At at, At owner, String expected) {
        error(node, at.yaml(), "expected " + expected + ", got " + typeName(node));
        dirty(owner);
    }

    /** How a node's type is named in messages. */
    static String typeName(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        if (tag.equals(Tag.NULL)) {
            return "null";
        }
        if (tag.equals(Tag.BOOL)) {
            return "a boolean";
        }
        if (tag.equals(Tag.INT)) {
            return "an integer";
        }
        if (tag.equals(Tag.FLOAT)) {
            return "a number";
        }
        if (tag.equals(Tag.STR)) {
            return "a string";
        }
        return "a value tagged " + tag.getValue();
    }
}

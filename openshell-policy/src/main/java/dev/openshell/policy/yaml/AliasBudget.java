package dev.openshell.policy.yaml;

import java.util.IdentityHashMap;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Billion-laughs guard. SnakeYAML composes an alias as a second reference to the anchored node,
 * so the tree costs nothing until someone walks it; this computes, in time linear in the number
 * of distinct nodes, how many nodes a full walk would visit, and finds alias cycles.
 */
final class AliasBudget {

    /** Nodes that aliases may add to a walk beyond the document's own nodes. */
    static final long MAX_EXTRA_NODES = 100_000;

    private final Map<Node, Long> expanded = new IdentityHashMap<>();
    private final Map<Node, Boolean> onPath = new IdentityHashMap<>();
    private Node cycle;

    private AliasBudget() {}

    /** Null when the tree may be walked, else a message explaining why not. */
    static String check(Node root) {
        AliasBudget budget = new AliasBudget();
        long total = budget.size(root);
        if (budget.cycle != null) {
            return "recursive alias: a node contains itself (line "
                    + (budget.cycle.getStartMark().getLine() + 1) + ")";
        }
        long extra = total - budget.expanded.size();
        if (extra > MAX_EXTRA_NODES) {
            return "YAML aliases expand the document by more than " + MAX_EXTRA_NODES
                    + " nodes (billion-laughs guard); write the repeated parts out or use fewer aliases";
        }
        return null;
    }

    /** Expanded size, saturating well above the limit so deep nesting cannot overflow. */
    private long size(Node node) {
        Long known = expanded.get(node);
        if (known != null) {
            return known;
        }
        if (onPath.containsKey(node)) {
            cycle = node;
            return 1;
        }
        onPath.put(node, Boolean.TRUE);
        long n = 1;
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                n = add(n, add(size(t.getKeyNode()), size(t.getValueNode())));
            }
        } else if (node instanceof SequenceNode s) {
            for (Node child : s.getValue()) {
                n = add(n, size(child));
            }
        }
        onPath.remove(node);
        expanded.put(node, n);
        return n;
    }

    private static long add(long a, long b) {
        return Math.min(a + b, Long.MAX_VALUE / 4);
    }
}

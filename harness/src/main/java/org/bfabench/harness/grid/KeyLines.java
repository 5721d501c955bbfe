package org.bfabench.harness.grid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Line numbers of the keys and list items of a YAML document, by path ({@code training.epochs},
 * {@code attacks[1]}), so that errors found after construction can still point at a line.
 */
final class KeyLines {
    private final Map<String, Integer> lines;

    private KeyLines(Map<String, Integer> lines) {
        this.lines = lines;
    }

    static KeyLines of(Node root) {
        Map<String, Integer> lines = new HashMap<>();
        if (root != null) {
            walk(root, "", lines);
        }
        return new KeyLines(lines);
    }

    OptionalInt line(String path) {
        Integer l = lines.get(path);
        return l == null ? OptionalInt.empty() : OptionalInt.of(l);
    }

    private static void walk(Node node, String path, Map<String, Integer> lines) {
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    String p = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                    lines.putIfAbsent(p, k.getStartMark().getLine() + 1);
                    walk(t.getValueNode(), p, lines);
                }
            }
        } else if (node instanceof SequenceNode s) {
            List<Node> items = s.getValue();
            for (int i = 0; i < items.size(); i++) {
                String p = path + "[" + i + "]";
                lines.putIfAbsent(p, items.get(i).getStartMark().getLine() + 1);
                walk(items.get(i), p, lines);
            }
        }
    }
}

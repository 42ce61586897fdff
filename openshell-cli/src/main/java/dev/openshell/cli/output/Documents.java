package dev.openshell.cli.output;

import dev.openshell.api.json.ApiJson;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * {@code -o json} and {@code -o yaml}: the API's own JSON ({@link ApiJson}: snake_case, ISO-8601
 * times, no nulls), and the same tree as YAML, so a script gets the same fields either way.
 * Multi-line strings (a policy) are YAML literal blocks, which read back unchanged.
 */
public final class Documents {

    private Documents() {}

    public static String json(Object value) {
        return ApiJson.strict().writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
    }

    public static String yaml(Object value) {
        Object tree = ApiJson.strict().convertValue(value, Object.class);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(0);
        options.setIndent(2);
        options.setWidth(Integer.MAX_VALUE);
        options.setSplitLines(false);
        return new Yaml(new LiteralBlocks(options), options).dump(tree);
    }

    /** Writes strings with line breaks as {@code |} blocks when YAML can hold them exactly. */
    private static final class LiteralBlocks extends Representer {
        LiteralBlocks(DumperOptions options) {
            super(options);
            Represent plain = this.representers.get(String.class);
            this.representers.put(String.class, data -> {
                String s = (String) data;
                if (s.indexOf('\n') >= 0 && literalSafe(s)) {
                    return representScalar(Tag.STR, s, DumperOptions.ScalarStyle.LITERAL);
                }
                return plain.representData(data);
            });
        }

        /** Trailing spaces on a line or control characters cannot be kept in a literal block. */
        private static boolean literalSafe(String s) {
            for (String line : s.split("\n", -1)) {
                if (!line.isEmpty() && Character.isWhitespace(line.charAt(line.length() - 1))) {
                    return false;
                }
            }
            return s.chars().noneMatch(c -> (c < 0x20 && c != '\n') || c == 0x7f);
        }
    }
}

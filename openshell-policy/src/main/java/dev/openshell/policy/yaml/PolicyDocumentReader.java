package dev.openshell.policy.yaml;

import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.model.PolicyLimits;
import dev.openshell.policy.model.PolicyValidationException;
import dev.openshell.policy.validate.PolicyChecker;
import dev.openshell.policy.validate.Problems;
import dev.openshell.policy.validate.SourceMap;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads policy YAML bytes into a validated, canonical {@link Policy} (internal; use {@link
 * dev.openshell.policy.PolicyParser}). Steps: size limit, strict UTF-8, SnakeYAML compose (no object construction),
 * single-document and alias checks, tree walk into the model, then the model rules.
 */
public final class PolicyDocumentReader {

    /** Collection aliases SnakeYAML accepts per document. */
    static final int MAX_ALIASES = 50;

    private PolicyDocumentReader() {}

    /** Parses and validates; throws {@link PolicyValidationException} listing every problem. */
    public static Policy read(byte[] yaml, String source) {
        if (yaml.length > PolicyLimits.MAX_BYTES) {
            throw single(
                    "",
                    0,
                    0,
                    "policy is " + yaml.length + " bytes; at most " + PolicyLimits.MAX_BYTES + " (1 MiB) are allowed");
        }
        String text = decode(yaml);
        Node root = compose(text, source);
        if (root == null || (root instanceof ScalarNode s && s.getTag().equals(Tag.NULL))) {
            throw single("", 0, 0, "empty policy: `version: 1` is required");
        }
        String aliasProblem = AliasBudget.check(root);
        if (aliasProblem != null) {
            throw single("", 0, 0, aliasProblem);
        }
        SourceMap sources = new SourceMap();
        Problems problems = new Problems(sources, false);
        Policy model = PolicyTreeReader.read(root, new Walk(sources, problems));
        Policy canonical = model == null ? null : PolicyChecker.check(model, problems);
        if (!problems.isEmpty()) {
            throw new PolicyValidationException(problems.sorted());
        }
        return canonical;
    }

    private static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw single("", 0, 0, "not valid UTF-8 at byte offset " + in.position());
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw single("", 0, 0, "not valid UTF-8 at byte offset " + in.position());
        }
        return out.flip().toString();
    }

    /** Composes exactly one document; null for an empty stream. */
    private static Node compose(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setCodePointLimit(PolicyLimits.MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        Yaml yaml = new Yaml(options);
        try {
            Iterator<Node> documents = yaml.composeAll(new StringReader(text)).iterator();
            if (!documents.hasNext()) {
                return null;
            }
            Node first = documents.next();
            if (documents.hasNext()) {
                Node second = documents.next();
                Mark m = second == null ? null : second.getStartMark();
                throw single(
                        "",
                        m == null ? 0 : m.getLine() + 1,
                        m == null ? 0 : m.getColumn() + 1,
                        "more than one YAML document (`---`); a policy file holds exactly one");
            }
            return first;
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            throw single(
                    "",
                    m == null ? 0 : m.getLine() + 1,
                    m == null ? 0 : m.getColumn() + 1,
                    "invalid YAML: " + clean(problem));
        } catch (PolicyValidationException e) {
            throw e;
        } catch (YAMLException e) {
            throw single("", 0, 0, "invalid YAML: " + clean(e.getMessage()));
        } catch (RuntimeException e) {
            // SnakeYAML is third-party code fed untrusted text: whatever it throws is this input's fault.
            throw single("", 0, 0, "invalid YAML: " + e.getClass().getSimpleName() + ": " + clean(e.getMessage()));
        }
    }

    private static String clean(String message) {
        if (message == null) {
            return "unreadable document";
        }
        return message.strip();
    }

    private static PolicyValidationException single(String path, int line, int column, String message) {
        return new PolicyValidationException(List.of(new PolicyError(path, line, column, message)));
    }
}

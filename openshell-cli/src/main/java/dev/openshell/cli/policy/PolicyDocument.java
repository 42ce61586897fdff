package dev.openshell.cli.policy;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.FieldError;
import dev.openshell.api.Problem;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A policy to send to the gateway, read from a file or standard input and validated here first,
 * so a mistake is reported at once with its line, without a round trip. Besides a policy, it
 * accepts what {@code openshell policy get -o yaml} or {@code -o json} print (a revision whose
 * {@code policy} field holds the YAML): that output is accepted unchanged by {@code policy set}.
 *
 * @param yaml the policy text to send
 * @param policy the parsed policy
 */
public record PolicyDocument(String name, String yaml, Policy policy) {

    /** Reads and validates {@code file} ({@code -}: standard input); invalid input is a {@code policy_invalid} error. */
    public static PolicyDocument read(Path file, InputStream stdin) {
        PolicyInput input = PolicyInput.load(file, stdin);
        String text = input.yaml();
        String embedded = text == null ? null : embeddedPolicy(text);
        if (embedded != null) {
            input = PolicyInput.parse(input.name(), embedded.getBytes(StandardCharsets.UTF_8));
            text = embedded;
        }
        if (!input.valid()) {
            throw invalid(input);
        }
        return new PolicyDocument(input.name(), text, input.policy());
    }

    /** The YAML in a revision document's {@code policy} field, or null when {@code text} is not one. */
    static String embeddedPolicy(String text) {
        Object doc;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            doc = new Yaml(options).load(text);
        } catch (YAMLException e) {
            return null;
        }
        if (doc instanceof Map<?, ?> map
                && map.get("policy") instanceof String policy
                && !map.containsKey("version")
                && !map.containsKey("network_policies")) {
            return policy;
        }
        return null;
    }

    private static ApiException invalid(PolicyInput input) {
        List<FieldError> errors = input.errors().stream()
                .map(e -> new FieldError(location(input.name(), e), e.message()))
                .toList();
        PolicyError first = input.errors().getFirst();
        String detail = input.describe(first) + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        ErrorCode code = input.yaml() == null ? ErrorCode.POLICY_UNREADABLE : ErrorCode.POLICY_INVALID;
        return new ApiException(Problem.of(code, detail).withErrors(errors));
    }

    private static String location(String name, PolicyError e) {
        return name
                + (e.line() > 0 ? ":" + e.line() + ":" + e.column() : "")
                + (e.path().isEmpty() ? "" : ": " + e.path());
    }
}

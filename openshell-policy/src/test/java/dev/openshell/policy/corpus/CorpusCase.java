package dev.openshell.policy.corpus;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One executable check of the corpus: a policy document plus what must come of it.
 *
 * <p>Exactly one of {@code errors} (non-empty, or {@code expectInvalid}), {@code request}, or
 * plain validity ({@code model} may add checks on the parsed policy) applies.
 *
 * @param group fixture file path relative to the corpus root, without {@code .yaml}
 * @param name the case name within the file
 * @param policy the raw policy bytes, handed to the parser untouched
 * @param source where the policy came from (for messages)
 * @param errors expected validation errors; each must match a distinct actual error
 * @param errorCount the exact number of errors expected, or {@code null} for "at least"
 * @param model checks on the parsed policy (see {@link ModelExpectation})
 * @param request a request to evaluate against the compiled policy, or {@code null}
 * @param binaryResolver symlink resolution to compile with (exact policy path to real path)
 * @param timeout how long the whole case may take
 */
record CorpusCase(
        String group,
        String name,
        byte[] policy,
        String source,
        List<ExpectedError> errors,
        Integer errorCount,
        Map<String, Object> model,
        CorpusRequest request,
        Map<String, String> binaryResolver,
        Duration timeout) {

    /** No single case may take longer than this by default (alias bombs included). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    CorpusCase(
            String group,
            String name,
            byte[] policy,
            String source,
            List<ExpectedError> errors,
            Integer errorCount,
            Map<String, Object> model,
            CorpusRequest request,
            Map<String, String> binaryResolver) {
        this(group, name, policy, source, errors, errorCount, model, request, binaryResolver, DEFAULT_TIMEOUT);
    }

    CorpusCase withTimeout(Duration limit) {
        return new CorpusCase(group, name, policy, source, errors, errorCount, model, request, binaryResolver, limit);
    }

    CorpusCase {
        errors = List.copyOf(errors);
        model = model == null ? Map.of() : Map.copyOf(model);
        binaryResolver = binaryResolver == null ? Map.of() : Map.copyOf(binaryResolver);
    }

    boolean expectsRejection() {
        return !errors.isEmpty() || errorCount != null;
    }

    /** E.g. {@code hosts/wildcards/one-label: a.b.example.com:443 denied}. */
    String displayName() {
        String outcome;
        if (expectsRejection()) {
            outcome = errors.isEmpty()
                    ? "rejected"
                    : "rejected at "
                            + errors.stream().map(ExpectedError::describe).toList();
        } else if (request != null) {
            outcome = request.describe();
        } else {
            outcome = "valid";
        }
        return group + "/" + name + ": " + outcome;
    }
}

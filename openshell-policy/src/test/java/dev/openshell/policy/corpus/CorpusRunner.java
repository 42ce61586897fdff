package dev.openshell.policy.corpus;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.model.PolicyValidationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Executes one {@link CorpusCase} against the real parser and engine. */
final class CorpusRunner {

    private CorpusRunner() {}

    static void run(CorpusCase c) {
        assertTimeoutPreemptively(c.timeout(), () -> execute(c), () -> "timed out: " + c.displayName());
    }

    private static void execute(CorpusCase c) {
        if (c.expectsRejection()) {
            checkRejected(c);
            return;
        }
        Policy policy;
        try {
            policy = PolicyParser.parse(c.policy(), c.source());
        } catch (PolicyValidationException e) {
            throw new AssertionError("expected a valid policy but got:\n  "
                    + String.join(
                            "\n  ",
                            e.errors().stream().map(PolicyError::toString).toList())
                    + policyText(c));
        }
        List<String> problems = new ArrayList<>(ModelExpectation.mismatches(c.model(), policy));
        if (c.request() != null) {
            Map<String, String> resolver = c.binaryResolver();
            CompiledPolicy compiled =
                    PolicyEngine.compile(policy, new PolicyEngine.Options(path -> resolver.getOrDefault(path, path)));
            CorpusRequest r = c.request();
            Decision d = r.isL7() ? compiled.evaluate(r.l7()) : compiled.evaluate(r.l4());
            if (d == null) {
                throw new AssertionError("evaluate returned null");
            }
            List<String> mismatches = r.expect().mismatches(d);
            if (!mismatches.isEmpty()) {
                problems.addAll(mismatches);
                problems.add("actual decision: " + d);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems) + policyText(c));
        }
    }

    private static void checkRejected(CorpusCase c) {
        Policy parsed;
        try {
            parsed = PolicyParser.parse(c.policy(), c.source());
        } catch (PolicyValidationException e) {
            matchErrors(c, e.errors());
            return;
        }
        String model = parsed.toString();
        if (model.length() > 600) {
            model = model.substring(0, 600) + "...";
        }
        throw new AssertionError(
                "expected rejection " + c.errors() + " but the policy was accepted as " + model + policyText(c));
    }

    private static void matchErrors(CorpusCase c, List<PolicyError> actual) {
        List<String> problems = new ArrayList<>();
        if (actual.isEmpty()) {
            problems.add("PolicyValidationException without errors");
        }
        for (PolicyError e : actual) {
            if (e.message() == null || e.message().isBlank()) {
                problems.add("error without message: " + e);
            }
        }
        List<PolicyError> unmatched = new ArrayList<>(actual);
        for (ExpectedError want : c.errors()) {
            PolicyError hit =
                    unmatched.stream().filter(want::matches).findFirst().orElse(null);
            if (hit == null) {
                problems.add("missing error " + want);
            } else {
                unmatched.remove(hit);
            }
        }
        if (c.errorCount() != null && c.errorCount() != actual.size()) {
            problems.add(actual.size() + " errors, expected " + c.errorCount());
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems) + "\nactual errors:\n  "
                    + String.join(
                            "\n  ", actual.stream().map(PolicyError::toString).toList()) + policyText(c));
        }
    }

    private static String policyText(CorpusCase c) {
        byte[] b = c.policy();
        if (b.length > 4000) {
            return "\n(policy: " + b.length + " bytes from " + c.source() + ")";
        }
        return "\npolicy (" + c.source() + "):\n" + new String(b, StandardCharsets.UTF_8);
    }
}

package dev.openshell.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.model.PolicyValidationException;
import java.util.List;

/** Test helpers: parse expecting failure and compare errors by path, position and message. */
final class PolicyErrors {

    private PolicyErrors() {}

    static List<PolicyError> errors(String yaml) {
        return errors(() -> PolicyParser.parse(yaml));
    }

    static List<PolicyError> errors(Runnable action) {
        try {
            action.run();
        } catch (PolicyValidationException e) {
            assertThat(e.errors()).isNotEmpty();
            assertThat(e.code()).isEqualTo("policy_invalid");
            return e.errors();
        }
        return fail("expected a PolicyValidationException");
    }

    static PolicyError only(String yaml) {
        List<PolicyError> errors = errors(yaml);
        assertThat(errors).as("errors of%n%s", yaml).hasSize(1);
        return errors.getFirst();
    }

    static void assertError(PolicyError e, String path, int line, int column, String fragment) {
        assertThat(e.path()).as("path of %s", e).isEqualTo(path);
        assertThat(e.line()).as("line of %s", e).isEqualTo(line);
        assertThat(e.column()).as("column of %s", e).isEqualTo(column);
        assertThat(e.message()).as("message of %s", e).contains(fragment);
    }
}

package dev.openshell.policy.model;

import java.util.List;
import java.util.stream.Collectors;

/** A policy document was rejected; {@link #errors()} lists every problem found, in order. */
public final class PolicyValidationException extends PolicyException {

    public static final String CODE = "policy_invalid";

    private final List<PolicyError> errors;

    public PolicyValidationException(List<PolicyError> errors) {
        super(CODE, summary(errors));
        this.errors = List.copyOf(errors);
    }

    public List<PolicyError> errors() {
        return errors;
    }

    private static String summary(List<PolicyError> errors) {
        return errors.size() == 1
                ? errors.getFirst().toString()
                : errors.size() + " errors:\n  "
                        + errors.stream().map(PolicyError::toString).collect(Collectors.joining("\n  "));
    }
}

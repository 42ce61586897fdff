package dev.openshell.api.validation;

import dev.openshell.api.ApiException;
import dev.openshell.api.FieldError;
import dev.openshell.api.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects the invalid fields of one request, so the caller hears about all of them at once. Keeps
 * at most {@value #LIMIT} (a request with ten thousand bad labels gets a bounded answer).
 */
public final class Violations {

    /** The most field errors one problem lists. */
    public static final int LIMIT = 50;

    private final List<FieldError> errors = new ArrayList<>();
    private int dropped;

    /** Records that {@code field} is invalid. */
    public Violations add(String field, String message) {
        if (errors.size() < LIMIT) {
            errors.add(new FieldError(field, message));
        } else {
            dropped++;
        }
        return this;
    }

    /** Records {@code violation} for {@code field} when there is one. */
    public Violations check(String field, Optional<String> violation) {
        violation.ifPresent(message -> add(field, message));
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** The errors kept, in the order found; when more were found, the last says how many were left out. */
    public List<FieldError> errors() {
        if (dropped == 0) {
            return List.copyOf(errors);
        }
        List<FieldError> all = new ArrayList<>(errors);
        all.add(new FieldError("*", dropped + " more errors not listed"));
        return List.copyOf(all);
    }

    /** Throws a {@link dev.openshell.api.ErrorCode#VALIDATION_FAILED} {@link ApiException} if anything was invalid. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ApiException(Problem.invalid(errors()));
        }
    }
}

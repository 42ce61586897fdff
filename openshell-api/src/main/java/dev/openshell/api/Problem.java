package dev.openshell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * An RFC 9457 problem document ({@code application/problem+json}), the body of every error the
 * gateway answers, extended with a typed {@code code}, an optional {@code hint} and the invalid
 * fields.
 *
 * @param type a URI naming the kind of problem ({@code urn:openshell:problem:not_found})
 * @param title a short summary of the type
 * @param status the HTTP status
 * @param detail what went wrong in this occurrence, one line
 * @param instance the request path it occurred on, if known
 * @param code the error code; {@code null} when a newer gateway sent one this version does not
 *     know (then {@link #effectiveCode()} falls back to the status)
 * @param hint what to do about it, when more specific than the code's hint
 * @param errors the invalid fields of a request (empty otherwise; omitted on the wire when empty)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        ErrorCode code,
        String hint,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldError> errors) {

    /** The media type problems are sent with. */
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** A problem with the type, title and status of {@code code}. */
    public static Problem of(ErrorCode code, String detail) {
        return new Problem(code.type().toString(), code.title(), code.httpStatus(), detail, null, code, null, null);
    }

    /** A {@link ErrorCode#VALIDATION_FAILED} problem listing {@code errors}; the detail names the first. */
    public static Problem invalid(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no field errors");
        }
        String detail =
                errors.getFirst().toString() + (errors.size() == 1 ? "" : " (and " + (errors.size() - 1) + " more)");
        return of(ErrorCode.VALIDATION_FAILED, detail).withErrors(errors);
    }

    public Problem withInstance(String instance) {
        return new Problem(type, title, status, detail, instance, code, hint, errors);
    }

    public Problem withHint(String hint) {
        return new Problem(type, title, status, detail, instance, code, hint, errors);
    }

    public Problem withErrors(List<FieldError> errors) {
        return new Problem(type, title, status, detail, instance, code, hint, errors);
    }

    /** {@link #code()}, or the code its status implies when the code is absent or unknown. */
    public ErrorCode effectiveCode() {
        return code != null ? code : ErrorCode.forStatus(status);
    }

    /** {@link #hint()}, or the hint of {@link #effectiveCode()}. */
    public String effectiveHint() {
        return hint != null && !hint.isBlank() ? hint : effectiveCode().hint();
    }
}

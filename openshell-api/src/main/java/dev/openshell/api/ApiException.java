package dev.openshell.api;

import java.util.List;

/**
 * An error with a {@link Problem}: thrown by the gateway's code for the one place that turns it
 * into a problem response, by the shared validators, and by {@code GatewayClient} for every error
 * answer. Unchecked. Its message is the problem's detail on one terminal-safe line.
 */
public class ApiException extends RuntimeException {

    private final Problem problem;

    public ApiException(Problem problem) {
        this(problem, null);
    }

    public ApiException(Problem problem, Throwable cause) {
        super(message(problem), cause);
        this.problem = problem;
    }

    public ApiException(ErrorCode code, String detail) {
        this(Problem.of(code, detail), null);
    }

    public ApiException(ErrorCode code, String detail, Throwable cause) {
        this(Problem.of(code, detail), cause);
    }

    /** A {@link ErrorCode#VALIDATION_FAILED} error for one field. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(Problem.invalid(List.of(new FieldError(field, message))));
    }

    public Problem problem() {
        return problem;
    }

    /** The error code ({@link Problem#effectiveCode()}). */
    public ErrorCode code() {
        return problem.effectiveCode();
    }

    /** The hint to show under the message, one terminal-safe line. */
    public String hint() {
        return SafeText.oneLine(problem.effectiveHint(), 300);
    }

    /** The CLI exit status for this error. */
    public int exitCode() {
        return code().exitCode();
    }

    private static String message(Problem problem) {
        String text = problem.detail() != null && !problem.detail().isBlank()
                ? problem.detail()
                : problem.title() != null
                        ? problem.title()
                        : problem.effectiveCode().title();
        return SafeText.oneLine(text, 1000);
    }
}

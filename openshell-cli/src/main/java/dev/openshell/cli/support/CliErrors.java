package dev.openshell.cli.support;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;

/** Errors the CLI raises itself, in the same shape as the gateway's: a code (hence the exit status), a line and a hint. */
public final class CliErrors {

    private CliErrors() {}

    public static ApiException of(ErrorCode code, String detail, String hint) {
        return new ApiException(Problem.of(code, detail).withHint(hint));
    }

    /** Invalid input of the command line (exit 2). */
    public static ApiException usage(String detail, String hint) {
        return of(ErrorCode.VALIDATION_FAILED, detail, hint);
    }
}

package dev.openshell.cli;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.FieldError;
import dev.openshell.api.SafeText;
import dev.openshell.cli.context.GatewayEntry;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints an {@link ApiException} (from the gateway or raised by the CLI) the way a user reads it:
 * {@code error: <what went wrong>}, the invalid fields when there are several, then the hint;
 * the exit status is the error code's. A gateway that cannot be reached is named, with the
 * command that starts it when this host runs it.
 */
public final class ApiErrors {

    private static final int MAX_FIELDS = 20;

    private ApiErrors() {}

    public static int print(ApiException e, GatewayEntry gateway, PrintWriter err) {
        ErrorCode code = e.code();
        String message = e.getMessage();
        String hint = e.hint();
        if (gateway != null && code == ErrorCode.GATEWAY_UNREACHABLE) {
            message = "gateway " + gateway.name() + " is not reachable: " + message;
            if (gateway.isLocal()) {
                hint = "start it with: openshell gateway start --name " + gateway.name();
            } else if (gateway.onRemoteHost()) {
                hint = "start it with: openshell gateway start --remote "
                        + gateway.remote().ssh() + " --name " + gateway.name();
            }
        } else if (gateway != null && code == ErrorCode.TLS_FAILED) {
            message = "gateway " + gateway.name() + ": " + message;
        }
        err.println("error: " + message);
        List<FieldError> fields = e.problem().errors();
        if (fields.size() > 1) {
            fields.stream()
                    .limit(MAX_FIELDS)
                    .forEach(f -> err.println(
                            "  " + SafeText.oneLine(f.field(), 200) + ": " + SafeText.oneLine(f.message(), 500)));
            if (fields.size() > MAX_FIELDS) {
                err.println("  ... and " + (fields.size() - MAX_FIELDS) + " more");
            }
        }
        if (hint != null && !hint.isBlank()) {
            err.println(hint);
        }
        err.flush();
        return e.exitCode();
    }
}

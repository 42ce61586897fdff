package dev.openshell.gateway.web;

import dev.openshell.api.ApiException;
import dev.openshell.api.ApiHeaders;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.provider.Provider;
import dev.openshell.api.sandbox.Sandbox;
import org.springframework.http.ResponseEntity;

/**
 * {@code If-Match} and {@code ETag}: a write naming a resource version that is no longer current
 * is a 412; a write that loses a race with another (the version changed between read and write)
 * is a 409. Answers carry the object's version as a strong {@code ETag}.
 */
public final class Preconditions {

    private Preconditions() {}

    /**
     * Checks {@code ifMatch} (absent or {@code *}: no precondition) against {@code current}, and
     * returns the current version as a number for the conditional write.
     */
    public static long check(String ifMatch, String current) {
        if (ifMatch != null && !ifMatch.strip().equals("*")) {
            String wanted = ApiHeaders.resourceVersion(ifMatch)
                    .orElseThrow(() -> ApiException.invalid(
                            ApiHeaders.IF_MATCH, "must be a quoted resource version such as \"42\", or *"));
            if (!wanted.equals(current)) {
                throw new ApiException(
                        ErrorCode.PRECONDITION_FAILED,
                        "the resource is at version " + current + ", not " + wanted + " (If-Match)");
            }
        }
        return Long.parseLong(current);
    }

    /** The error for a write that lost a race. */
    public static ApiException conflict(String what) {
        return new ApiException(ErrorCode.CONFLICT, what + " was changed by another request at the same time");
    }

    /** 200 with the object's {@code ETag}. */
    public static <T> ResponseEntity<T> ok(T body) {
        return withEntityTag(ResponseEntity.ok(body));
    }

    public static <T> ResponseEntity<T> withEntityTag(ResponseEntity<T> answer) {
        String version = switch (answer.getBody()) {
            case Sandbox s -> s.resourceVersion();
            case Provider p -> p.resourceVersion();
            case null, default -> null;
        };
        if (version == null) {
            return answer;
        }
        return ResponseEntity.status(answer.getStatusCode())
                .headers(answer.getHeaders())
                .eTag(ApiHeaders.entityTag(version))
                .body(answer.getBody());
    }
}

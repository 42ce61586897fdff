package dev.openshell.sandbox.proxy.shared;

import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Serves requests addressed to {@code inference.local} (the privacy router plugs in here). The
 * proxy hands such requests over before any network policy is evaluated; without a handler it
 * answers {@code 503 inference_not_configured}.
 */
@FunctionalInterface
public interface InferenceHandler {

    /** Handles one request; the returned stage may complete on any thread. */
    CompletionStage<Response> handle(Request request);

    /**
     * A request to {@code inference.local}.
     *
     * @param target origin-form path and query
     * @param headers header fields in arrival order (names as sent)
     * @param caller the process that sent it
     */
    record Request(
            String method, String target, List<Map.Entry<String, String>> headers, byte[] body, CallerIdentity caller) {

        public Request {
            headers = List.copyOf(headers);
        }
    }

    /** The answer to send back. */
    record Response(int status, Map<String, String> headers, byte[] body) {

        public Response {
            headers = Map.copyOf(headers);
        }
    }
}

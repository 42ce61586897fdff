package dev.openshell.gateway.web;

import dev.openshell.api.Problem;
import dev.openshell.api.SafeText;
import dev.openshell.api.json.ApiJson;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Writes a problem straight to the response, for filters that answer before any controller runs. */
public final class ProblemResponses {

    private ProblemResponses() {}

    public static void write(HttpServletRequest request, HttpServletResponse response, Problem problem)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.getOutputStream().write(ApiJson.strict().writeValueAsBytes(withInstance(request, problem)));
        response.flushBuffer();
    }

    /** The problem with the request path as its instance (escaped, bounded). */
    public static Problem withInstance(HttpServletRequest request, Problem problem) {
        return problem.instance() != null
                ? problem
                : problem.withInstance(SafeText.oneLine(request.getRequestURI(), 300));
    }
}

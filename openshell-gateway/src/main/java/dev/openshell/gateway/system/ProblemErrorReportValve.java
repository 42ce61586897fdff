package dev.openshell.gateway.system;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.api.json.ApiJson;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's last-resort error page as a problem: requests the servlet container refuses before
 * any filter runs (an encoded slash or NUL in the path, a malformed request line, oversized
 * headers) get {@code application/problem+json} instead of Tomcat's HTML, and never a version or
 * a stack trace.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ErrorCode code = ErrorCode.forStatus(status);
        Problem problem = new Problem(
                code.type().toString(),
                code.title(),
                status,
                status >= 500 ? "an unexpected failure" : "the server refused the request as malformed",
                null,
                code,
                null,
                null);
        try {
            response.setContentType(Problem.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(ApiJson.strict().writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone: nothing to tell
        }
    }
}

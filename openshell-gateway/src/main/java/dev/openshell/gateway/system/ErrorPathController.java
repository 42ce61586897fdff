package dev.openshell.gateway.system;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.gateway.auth.Unauthenticated;
import dev.openshell.gateway.web.ProblemAdvice;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside the MVC layer (by the servlet container or a filter) are problems too,
 * never Boot's default error page.
 */
@RestController
class ErrorPathController implements ErrorController {

    @Unauthenticated
    @RequestMapping("/error")
    ResponseEntity<Problem> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer i ? i : 500;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        ErrorCode errorCode = ErrorCode.forStatus(code);
        Problem problem = Problem.of(errorCode, code >= 500 ? "an unexpected failure" : "the request was refused");
        problem = new Problem(
                problem.type(),
                problem.title(),
                code,
                problem.detail(),
                uri == null ? null : dev.openshell.api.SafeText.oneLine(uri.toString(), 300),
                errorCode,
                null,
                null);
        return ProblemAdvice.respond(request, problem);
    }
}

package dev.openshell.gateway.web;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.FieldError;
import dev.openshell.api.Problem;
import dev.openshell.api.SafeText;
import dev.openshell.api.json.JsonProblems;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyValidationException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;

/**
 * The one place where failures become RFC 9457 problems with a typed {@code code}. Bad input of any
 * kind is a 4xx naming what was wrong; anything unexpected is a 500 that reveals nothing but a
 * reference to the gateway log, where the stack trace is.
 */
@RestControllerAdvice
public class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    private static final MediaType PROBLEM = MediaType.parseMediaType(Problem.MEDIA_TYPE);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Problem> api(ApiException e, HttpServletRequest request) {
        return respond(request, e.problem());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Problem> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return respond(request, api.problem());
            }
            if (t instanceof JacksonException json) {
                Problem p = JsonProblems.of(json);
                if (p.code() == ErrorCode.INTERNAL) {
                    return unexpected(e, request);
                }
                return respond(request, p);
            }
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        return respond(
                request,
                Problem.of(
                        ErrorCode.BAD_REQUEST,
                        message.startsWith("Required request body is missing")
                                ? "the request body is empty; send a JSON object"
                                : "the request body is not readable JSON"));
    }

    @ExceptionHandler(PolicyValidationException.class)
    ResponseEntity<Problem> policyInvalid(PolicyValidationException e, HttpServletRequest request) {
        List<FieldError> errors = e.errors().stream()
                .limit(50)
                .map(err -> new FieldError(
                        "policy" + (err.path().isEmpty() ? "" : "." + err.path()),
                        SafeText.oneLine(
                                (err.line() > 0 ? "line " + err.line() + ", column " + err.column() + ": " : "")
                                        + err.message(),
                                300)))
                .toList();
        String detail = "the policy is invalid: " + errors.getFirst().field() + ": "
                + errors.getFirst().message() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        return respond(request, Problem.of(ErrorCode.POLICY_INVALID, detail).withErrors(errors));
    }

    @ExceptionHandler(PolicyException.class)
    ResponseEntity<Problem> policy(PolicyException e, HttpServletRequest request) {
        ErrorCode code = ErrorCode.fromWire(e.code())
                .filter(c -> c.httpStatus() >= 400 && c.httpStatus() < 500)
                .orElse(ErrorCode.POLICY_UPDATE_INVALID);
        return respond(request, Problem.of(code, SafeText.oneLine(e.getMessage(), 1000)));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Problem> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(
                request,
                Problem.of(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "send the body as application/json"
                                + (e.getContentType() == null
                                        ? ""
                                        : ", not "
                                                + SafeText.quote(
                                                        e.getContentType().toString()))));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Problem> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return respond(request, Problem.of(ErrorCode.BAD_REQUEST, "this resource answers application/json only"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Problem> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        ResponseEntity<Problem> answer = respond(
                request,
                Problem.of(
                        ErrorCode.METHOD_NOT_ALLOWED,
                        SafeText.quote(e.getMethod()) + " is not supported here"
                                + (e.getSupportedHttpMethods() == null
                                        ? ""
                                        : "; allowed: " + e.getSupportedHttpMethods())));
        return e.getSupportedHttpMethods() == null
                ? answer
                : ResponseEntity.status(answer.getStatusCode())
                        .headers(answer.getHeaders())
                        .allow(e.getSupportedHttpMethods().toArray(org.springframework.http.HttpMethod[]::new))
                        .body(answer.getBody());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Problem> noResource(NoResourceFoundException e, HttpServletRequest request) {
        return respond(request, Problem.of(ErrorCode.NOT_FOUND, "there is no such resource"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Problem> argument(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String value = e.getValue() == null ? "null" : SafeText.quote(String.valueOf(e.getValue()));
        return respond(
                request,
                ApiException.invalid(e.getName(), value + " is not a valid value")
                        .problem());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Problem> missingParameter(MissingServletRequestParameterException e, HttpServletRequest request) {
        return respond(
                request,
                ApiException.invalid(e.getParameterName(), "is required").problem());
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    ResponseEntity<Problem> missingHeader(MissingRequestHeaderException e, HttpServletRequest request) {
        return respond(
                request,
                ApiException.invalid(e.getHeaderName(), "header is required").problem());
    }

    @ExceptionHandler(AsyncRequestTimeoutException.class)
    ResponseEntity<Problem> asyncTimeout(AsyncRequestTimeoutException e, HttpServletRequest request) {
        return respond(request, Problem.of(ErrorCode.TIMEOUT, "the request took too long"));
    }

    @ExceptionHandler({
        CannotGetJdbcConnectionException.class,
        DataAccessResourceFailureException.class,
        TransientDataAccessException.class
    })
    ResponseEntity<Problem> database(Exception e, HttpServletRequest request) {
        log.warn("database unavailable for {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
        return ResponseEntity.status(503)
                .header(HttpHeaders.RETRY_AFTER, "2")
                .contentType(PROBLEM)
                .body(ProblemResponses.withInstance(
                        request, Problem.of(ErrorCode.UNAVAILABLE, "the gateway's database is unavailable")));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Problem> unexpected(Exception e, HttpServletRequest request) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("unexpected failure {} on {} {}", reference, request.getMethod(), request.getRequestURI(), e);
        return respond(
                request,
                Problem.of(
                        ErrorCode.INTERNAL, "an unexpected failure (reference " + reference + " in the gateway log)"));
    }

    /** The problem as an answer, with the request path as its instance. */
    public static ResponseEntity<Problem> respond(HttpServletRequest request, Problem problem) {
        return ResponseEntity.status(problem.status())
                .contentType(PROBLEM)
                .body(ProblemResponses.withInstance(request, problem));
    }
}

package dev.openshell.api.client;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.api.SafeText;
import dev.openshell.api.json.ApiJson;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;
import tools.jackson.core.JacksonException;

/** Turns what went wrong talking to the gateway into an {@link ApiException}: one place, one line each. */
final class ErrorAnswers {

    private ErrorAnswers() {}

    /** The problem an error answer carries, or one made from its status when it carries none (a load balancer's 502 page). */
    static ApiException fromAnswer(int status, String contentType, byte[] body, String path) {
        Problem problem = parse(body, contentType);
        if (problem == null) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            String detail = "HTTP " + status + " from the gateway for " + path
                    + (text.isEmpty() ? "" : ": " + SafeText.oneLine(text, 200));
            problem = Problem.of(ErrorCode.forStatus(status), detail);
        }
        if (problem.status() != status) {
            // The status line is what every proxy in between acted on; trust it over the body.
            problem = new Problem(
                    problem.type(),
                    problem.title(),
                    status,
                    problem.detail(),
                    problem.instance(),
                    problem.code(),
                    problem.hint(),
                    problem.errors());
        }
        if (problem.instance() == null) {
            problem = problem.withInstance(path);
        }
        return new ApiException(problem);
    }

    /** The exception for a request that got no answer. */
    static ApiException fromFailure(IOException e, URI gateway, String path) {
        String where = gateway + path;
        return switch (e) {
            case HttpConnectTimeoutException t ->
                new ApiException(
                        ErrorCode.GATEWAY_UNREACHABLE,
                        "the gateway at " + gateway + " did not accept a connection in time",
                        e);
            case HttpTimeoutException t ->
                new ApiException(ErrorCode.TIMEOUT, "the gateway did not answer " + where + " in time", e);
            case SSLException s ->
                new ApiException(
                        ErrorCode.TLS_FAILED, "TLS with the gateway at " + gateway + " failed: " + reason(s), e);
            case ConnectException c ->
                new ApiException(
                        ErrorCode.GATEWAY_UNREACHABLE,
                        "cannot connect to the gateway at " + gateway + ": " + connectReason(c),
                        e);
            default -> {
                if (causedBy(e, SSLException.class)) {
                    yield new ApiException(
                            ErrorCode.TLS_FAILED, "TLS with the gateway at " + gateway + " failed: " + reason(e), e);
                }
                if (causedBy(e, UnresolvedAddressException.class)) {
                    yield new ApiException(
                            ErrorCode.GATEWAY_UNREACHABLE, "cannot resolve the gateway's host in " + gateway, e);
                }
                if ("https".equalsIgnoreCase(gateway.getScheme()) && closedBeforeAnswering(e)) {
                    // With TLS 1.3 the server judges the client certificate after the client has
                    // finished its handshake; a refused certificate then shows up here as a
                    // connection closed before any answer (or as an alert, above), depending on timing.
                    yield new ApiException(
                            ErrorCode.TLS_FAILED,
                            "the gateway at " + gateway + " closed the TLS connection before answering: it does not"
                                    + " accept this client's certificate (or none was given)",
                            e);
                }
                yield new ApiException(
                        ErrorCode.GATEWAY_UNREACHABLE,
                        "the connection to the gateway at " + gateway + " failed: " + reason(e),
                        e);
            }
        };
    }

    private static Problem parse(byte[] body, String contentType) {
        if (body.length == 0
                || contentType == null
                || !contentType.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            return null;
        }
        try {
            Problem p = ApiJson.lenient().readValue(body, Problem.class);
            return p != null && (p.code() != null || p.status() != 0 || p.detail() != null) ? p : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** An end of stream before the first byte of an answer. */
    private static boolean closedBeforeAnswering(IOException e) {
        if (causedBy(e, java.io.EOFException.class)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("received no bytes")) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Why a connection failed, for a person: the JDK's client reports a refused connection as a
     * {@code ConnectException} without a message around a {@code ClosedChannelException}.
     */
    static String connectReason(ConnectException e) {
        if (e.getMessage() != null) {
            return reason(e);
        }
        return "connection refused";
    }

    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return SafeText.oneLine(
                t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName(), 200);
    }
}

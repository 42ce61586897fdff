package dev.openshell.gateway.auth;

import dev.openshell.api.ApiHeaders;
import dev.openshell.api.ApiPaths;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.gateway.web.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Establishes the {@link Caller} of every request: a client certificate issued by the gateway's CA
 * (checked again here, not only by the TLS layer), or an {@code Authorization: Bearer} API token.
 * Without either the answer is a 401 that says only how to authenticate; it does not tell whether
 * the path exists. Only {@code /healthz} and {@code /readyz} are open.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class AuthenticationFilter extends OncePerRequestFilter {

    private static final Set<String> OPEN = Set.of(ApiPaths.HEALTHZ, ApiPaths.READYZ);
    private static final String BEARER = "Bearer ";
    private static final int MAX_SECRET = 512;

    private final GatewayTls tls;
    private final BearerTokens tokens;

    public AuthenticationFilter(GatewayTls tls, BearerTokens tokens) {
        this.tls = tls;
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // Decisions use the path as the container resolved it (decoded, dot segments removed),
        // the same path the handler is chosen by, never the raw request URI.
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (OPEN.contains(path) && OPEN.contains(request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller = fromCertificate(request);
        if (caller == null) {
            String header = request.getHeader(ApiHeaders.AUTHORIZATION);
            if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                String secret = header.substring(BEARER.length()).strip();
                if (!secret.isEmpty() && secret.length() <= MAX_SECRET) {
                    switch (tokens.authenticate(secret)) {
                        case BearerTokens.Outcome.Valid v -> caller = v.caller();
                        case BearerTokens.Outcome.Expired x -> {
                            refuse(request, response, ErrorCode.TOKEN_EXPIRED, "the API token has expired");
                            return;
                        }
                        case BearerTokens.Outcome.Refused r -> {}
                    }
                }
            }
        }
        if (caller == null) {
            refuse(
                    request,
                    response,
                    ErrorCode.UNAUTHORIZED,
                    "authentication required: present the gateway's client certificate or a valid API token");
            return;
        }
        if (caller.kind() == Caller.Kind.SUPERVISOR && !path.startsWith(ApiPaths.SANDBOXES + "/")) {
            refuse(request, response, ErrorCode.FORBIDDEN, "a supervisor token may only call its sandbox's endpoints");
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller);
        chain.doFilter(request, response);
    }

    private Caller fromCertificate(HttpServletRequest request) {
        Object attribute = request.getAttribute("jakarta.servlet.request.X509Certificate");
        if (!(attribute instanceof X509Certificate[] chain) || chain.length == 0) {
            return null;
        }
        return tls.isClientCertificate(chain[0])
                ? Caller.operator("cert:" + chain[0].getSerialNumber().toString(16))
                : null;
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
            throws IOException {
        if (code.httpStatus() == 401) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"openshell\"");
        }
        ProblemResponses.write(request, response, Problem.of(code, detail));
    }
}

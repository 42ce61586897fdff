package dev.openshell.gateway.auth;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Checks the caller against the handler's annotation: {@link RequiresScope}, {@link
 * OperatorOnly}, {@link SupervisorEndpoint} or {@link Unauthenticated}. A handler with none of
 * them is refused (fail closed), except the OpenAPI document, which any API caller may read.
 */
@Component
public class AuthorizationInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return true; // static resources: none are served; unknown paths become 404 problems
        }
        if (method.hasMethodAnnotation(Unauthenticated.class)) {
            return true;
        }
        Caller caller = Caller.of(request);
        if (method.hasMethodAnnotation(SupervisorEndpoint.class)) {
            if (caller.kind() == Caller.Kind.CLIENT_CERTIFICATE) {
                return true;
            }
            if (caller.kind() == Caller.Kind.SUPERVISOR && caller.sandboxId() != null) {
                // the token is bound to a sandbox id; the controller resolves the name and checks it
                request.setAttribute(SupervisorEndpoint.class.getName(), caller.sandboxId());
                return true;
            }
            throw forbidden("only the sandbox's own supervisor may call this");
        }
        if (caller.kind() == Caller.Kind.SUPERVISOR) {
            throw forbidden("a supervisor token may only call its sandbox's supervisor endpoints");
        }
        RequiresScope scope = method.getMethodAnnotation(RequiresScope.class);
        if (scope != null) {
            if (!caller.has(scope.value())) {
                throw forbidden("this needs the scope " + scope.value().wire());
            }
            return true;
        }
        if (method.hasMethodAnnotation(OperatorOnly.class)) {
            if (caller.kind() != Caller.Kind.CLIENT_CERTIFICATE) {
                throw forbidden("this needs the gateway's client certificate; API tokens cannot manage tokens");
            }
            return true;
        }
        if (method.getBeanType().getPackageName().startsWith("org.springdoc")) {
            return true;
        }
        throw forbidden("this endpoint is not open to API tokens");
    }

    /** The sandbox a supervisor caller is bound to, or null for the operator. */
    public static String supervisedSandbox(HttpServletRequest request) {
        return (String) request.getAttribute(SupervisorEndpoint.class.getName());
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> pathVariables(HttpServletRequest request) {
        Object vars = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        return vars instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    private static ApiException forbidden(String detail) {
        return new ApiException(ErrorCode.FORBIDDEN, detail);
    }
}

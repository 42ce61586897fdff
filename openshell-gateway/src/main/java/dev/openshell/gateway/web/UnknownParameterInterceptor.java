package dev.openshell.gateway.web;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.FieldError;
import dev.openshell.api.Problem;
import dev.openshell.api.SafeText;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Query parameters are as strict as bodies: one the endpoint does not take ({@code pagesize} for
 * {@code page_size}) is a 400 {@code unknown_field} naming it and the ones that exist, instead of
 * a setting silently ignored. Applies to the gateway's own controllers.
 */
@Component
public class UnknownParameterInterceptor implements HandlerInterceptor {

    private final Map<HandlerMethod, Set<String>> known = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method)
                || request.getDispatcherType() != jakarta.servlet.DispatcherType.REQUEST
                || !method.getBeanType().getPackageName().startsWith("dev.openshell.gateway")
                || request.getQueryString() == null) {
            return true;
        }
        Set<String> allowed = known.computeIfAbsent(method, UnknownParameterInterceptor::parameters);
        for (String name : Collections.list(request.getParameterNames())) {
            if (!allowed.contains(name)) {
                String detail = "unknown query parameter " + SafeText.quote(name)
                        + (allowed.isEmpty()
                                ? "; this endpoint takes none"
                                : "; it takes "
                                        + String.join(
                                                ", ", allowed.stream().sorted().toList()));
                throw new ApiException(Problem.of(ErrorCode.UNKNOWN_FIELD, detail)
                        .withErrors(List.of(new FieldError(SafeText.oneLine(name, SafeText.QUOTE_LIMIT), detail))));
            }
        }
        return true;
    }

    private static Set<String> parameters(HandlerMethod method) {
        return Arrays.stream(method.getMethodParameters())
                .map(UnknownParameterInterceptor::queryName)
                .filter(n -> n != null)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static String queryName(MethodParameter parameter) {
        RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
        if (param == null) {
            return null;
        }
        return !param.name().isEmpty()
                ? param.name()
                : !param.value().isEmpty() ? param.value() : parameter.getParameterName();
    }
}

package dev.openshell.sandbox.proxy.http;

import dev.openshell.policy.match.RequestTarget;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.L7Request;
import dev.openshell.policy.model.Verdict;
import dev.openshell.sandbox.proxy.log.TargetRedaction;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The L7 decision of a request under every method and path a server may run it as. Frameworks
 * honour method overrides (Express's method-override, Rails, Laravel, ASP.NET, Google APIs): a
 * {@code POST} carrying {@code X-HTTP-Method-Override}, {@code X-HTTP-Method} or {@code
 * X-Method-Override}, or a {@code _method} query parameter, runs as the method named there. Some
 * stacks (IIS URL Rewrite, older Symfony, Zend and Laminas) route on the path in {@code
 * X-Original-URL} or {@code X-Rewrite-URL} instead of the request line. Such a request is decided
 * as sent and under each method and path it names, and the most severe decision wins (deny over
 * audit over allow), so an override gets past neither a deny rule nor an access preset. A {@code
 * _method} form field in the request body is not seen.
 */
public final class RequestOverrides {

    private static final String[] METHOD_HEADERS = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"};
    private static final String[] PATH_HEADERS = {"X-Original-URL", "X-Rewrite-URL"};
    private static final String PARAMETER = "_method";
    private static final int MAX_METHOD_LENGTH = 32;
    /** Named methods and paths considered; more only repeat what a server reads first or last. */
    private static final int MAX_NAMED = 8;

    /** Where the request names another method or path, and what it names. */
    private record Named(String source, String value) {}

    private RequestOverrides() {}

    /** Decides {@code request} as it is now (measured here; see the other overload). */
    public static Decision evaluate(CompiledPolicy policy, L4Request connection, HttpRequest request) {
        return evaluate(policy, connection, request, L7Requests.measure(request), null);
    }

    /**
     * Decides {@code request} (already on its canonical target) on {@code connection}; {@code
     * measured} is its header size and body as the client sent them (see {@link L7Requests});
     * {@code connected} is the address of the kept-alive upstream connection it goes out on, or
     * {@code null} (see {@link CompiledPolicy#evaluate(L7Request, InetAddress)}).
     */
    public static Decision evaluate(
            CompiledPolicy policy,
            L4Request connection,
            HttpRequest request,
            L7Requests.Measured measured,
            InetAddress connected) {
        String method = request.method().name();
        String target = request.uri();
        Decision decision = policy.evaluate(measured.toL7(connection, method, target), connected);
        if (decision.verdict() == Verdict.DENY) {
            return decision;
        }
        List<Named> methods = namedMethods(request);
        List<Named> paths = namedPaths(request);
        if (methods.isEmpty() && paths.isEmpty()) {
            return decision;
        }
        List<Named> anyMethod = new ArrayList<>(methods);
        anyMethod.add(new Named(null, method));
        List<Named> anyPath = new ArrayList<>(paths);
        anyPath.add(new Named(null, target));
        for (Named m : anyMethod) {
            for (Named p : anyPath) {
                if (m.source() == null && p.source() == null) {
                    continue; // the request as sent, decided above
                }
                Decision d = policy.evaluate(measured.toL7(connection, m.value(), p.value()), connected);
                if (severity(d) > severity(decision)) {
                    decision = explained(d, method, target, m, p);
                    if (d.verdict() == Verdict.DENY) {
                        return decision;
                    }
                }
            }
        }
        return decision;
    }

    private static Decision explained(Decision d, String method, String target, Named m, Named p) {
        StringBuilder why = new StringBuilder(" (the request is ")
                .append(method)
                .append(' ')
                .append(TargetRedaction.pathOnly(target))
                .append(" but");
        if (m.source() != null) {
            why.append(" its ").append(m.source()).append(" names ").append(m.value());
        }
        if (p.source() != null) {
            why.append(m.source() != null ? " and" : "")
                    .append(" its ")
                    .append(p.source())
                    .append(" names ")
                    .append(TargetRedaction.pathOnly(p.value()));
        }
        return d.withRule(d.rule(), d.reason() + why.append(')'));
    }

    /** Every other method the request names, upper-cased as the frameworks that honour them do. */
    private static List<Named> namedMethods(HttpRequest request) {
        List<Named> out = List.of();
        for (String header : METHOD_HEADERS) {
            if (request.headers().contains(header)) {
                for (String value : request.headers().getAll(header)) {
                    for (String m : value.split(",")) {
                        out = addMethod(out, header + " header", m.strip());
                    }
                }
            }
        }
        String target = request.uri();
        int q = target.indexOf('?');
        // An escape may spell the name (`%5Fmethod`); servers decode names before they look.
        if (q >= 0 && (target.indexOf('%', q) >= 0 || mentionsParameter(target, q))) {
            RequestTarget parsed = RequestTarget.parse(target);
            if (parsed.error() == null) {
                for (int i = 0; i < parsed.foldedQueryCount(); i++) {
                    if (parsed.foldedQueryName(i).equals(PARAMETER)) {
                        out = addMethod(
                                out,
                                PARAMETER + " parameter",
                                parsed.foldedQueryValue(i).strip());
                    }
                }
            }
        }
        return out;
    }

    /**
     * Every path the request names in a path override header, as written: the policy decides it
     * like a request target (an ambiguous one is denied as invalid).
     */
    private static List<Named> namedPaths(HttpRequest request) {
        List<Named> out = List.of();
        for (String header : PATH_HEADERS) {
            if (request.headers().contains(header)) {
                for (String value : request.headers().getAll(header)) {
                    out = add(out, new Named(header + " header", value.strip()));
                }
            }
        }
        return out;
    }

    /** Adds a plausible method: an HTTP token (anything else no server runs as a method). */
    private static List<Named> addMethod(List<Named> out, String source, String method) {
        if (method.isEmpty() || method.length() > MAX_METHOD_LENGTH || !isToken(method)) {
            return out;
        }
        return add(out, new Named(source, method.toUpperCase(Locale.ROOT)));
    }

    /** Appends to {@code out} (a fresh list on the first addition), at most {@link #MAX_NAMED}. */
    private static List<Named> add(List<Named> out, Named named) {
        if (out.size() >= MAX_NAMED) {
            return out;
        }
        List<Named> list = out.isEmpty() ? new ArrayList<>(2) : out;
        list.add(named);
        return list;
    }

    /** Whether {@code _method} appears after {@code from}, in any case (a cheap test before parsing). */
    private static boolean mentionsParameter(String target, int from) {
        for (int i = target.indexOf('_', from); i >= 0; i = target.indexOf('_', i + 1)) {
            if (target.regionMatches(true, i, PARAMETER, 0, PARAMETER.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int severity(Decision d) {
        return switch (d.verdict()) {
            case ALLOW -> 0;
            case AUDIT_ALLOW -> 1;
            case DENY -> 2;
        };
    }
}

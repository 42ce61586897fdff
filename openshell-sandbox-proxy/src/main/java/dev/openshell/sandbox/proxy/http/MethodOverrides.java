package dev.openshell.sandbox.proxy.http;

import dev.openshell.policy.CompiledPolicy;
import dev.openshell.policy.Decision;
import dev.openshell.policy.L4Request;
import dev.openshell.policy.L7Request;
import dev.openshell.policy.Verdict;
import dev.openshell.policy.match.RequestTarget;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The L7 decision of a request under every method a server may run it as. Frameworks honour
 * method overrides (Express's method-override, Rails, Laravel, ASP.NET, Google APIs): a {@code
 * POST} carrying {@code X-HTTP-Method-Override}, {@code X-HTTP-Method} or {@code
 * X-Method-Override}, or a {@code _method} query parameter, runs as the method named there. Such
 * a request is decided under its own method and under each named one, and the most severe
 * decision wins (deny over audit over allow), so an override gets past neither a deny rule nor an
 * access preset. A {@code _method} form field in the request body is not seen.
 */
public final class MethodOverrides {

    private static final String[] HEADERS = {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"};
    private static final String PARAMETER = "_method";
    private static final int MAX_METHOD_LENGTH = 32;

    private MethodOverrides() {}

    /** Decides {@code request} (already on its canonical target) on {@code connection}. */
    public static Decision evaluate(CompiledPolicy policy, L4Request connection, HttpRequest request) {
        String method = request.method().name();
        String target = request.uri();
        Decision decision = policy.evaluate(new L7Request(connection, method, target));
        if (decision.verdict() == Verdict.DENY) {
            return decision;
        }
        for (String[] named : named(request)) {
            String other = named[1];
            if (other.equals(method)) {
                continue;
            }
            Decision d = policy.evaluate(new L7Request(connection, other, target));
            if (severity(d) > severity(decision)) {
                decision = new Decision(
                        d.verdict(),
                        d.layer(),
                        d.policy(),
                        d.endpointIndex(),
                        d.rule(),
                        d.reason() + " (the request is " + method + " but its " + named[0] + " names " + other + ")",
                        d.inspect(),
                        d.suggestion());
                if (d.verdict() == Verdict.DENY) {
                    break;
                }
            }
        }
        return decision;
    }

    /** {@code {where, method}} pairs for every override the request carries; usually none. */
    private static List<String[]> named(HttpRequest request) {
        List<String[]> out = List.of();
        for (String header : HEADERS) {
            if (!request.headers().contains(header)) {
                continue;
            }
            for (String value : request.headers().getAll(header)) {
                for (String m : value.split(",")) {
                    out = add(out, header + " header", m.strip());
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
                        out = add(
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
     * Adds a plausible method (an HTTP token; anything else no server runs as a method), upper-cased
     * as the frameworks that honour overrides do.
     */
    private static List<String[]> add(List<String[]> out, String where, String method) {
        if (method.isEmpty() || method.length() > MAX_METHOD_LENGTH || !isToken(method)) {
            return out;
        }
        List<String[]> list = out.isEmpty() ? new ArrayList<>(2) : out;
        list.add(new String[] {where, method.toUpperCase(Locale.ROOT)});
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

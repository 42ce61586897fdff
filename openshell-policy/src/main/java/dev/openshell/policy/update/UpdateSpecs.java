package dev.openshell.policy.update;

import static dev.openshell.policy.update.HostPort.invalid;

import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.PolicyUpdate;
import dev.openshell.policy.model.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Parses the CLI spellings of update operations. Implementation of the {@code parse*} methods of
 * {@link dev.openshell.policy.PolicyUpdates}, where the spellings are documented.
 */
public final class UpdateSpecs {

    /** An HTTP method token (RFC 9110 tchar) or {@code *}. */
    private static final Pattern METHOD = Pattern.compile("\\*|[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private UpdateSpecs() {}

    public static PolicyUpdate.AddEndpoint addEndpoint(String spec, String policyKey, List<String> binaries) {
        HostPort hp = HostPort.parse(spec, "--add-endpoint");
        Access access = null;
        Protocol protocol = null;
        if (hp.rest() != null) {
            String[] fields = hp.rest().split(":", -1);
            if (fields.length > 2) {
                throw invalid("--add-endpoint `" + spec.strip()
                        + "`: expected HOST:PORT[:ACCESS[:PROTOCOL]], got extra fields");
            }
            String first = fields[0].strip().toLowerCase(Locale.ROOT);
            if (fields.length == 1 && protocol(first) != null) {
                protocol = protocol(first); // HOST:PORT:rest is unambiguous: no preset is called "rest"
            } else if (!first.isEmpty()) {
                access = Access.fromYaml(first);
                if (access == null) {
                    throw invalid("--add-endpoint `" + spec.strip() + "`: access `" + fields[0]
                            + "` must be one of read-only, read-write, full");
                }
            }
            if (fields.length == 2) {
                String p = fields[1].strip().toLowerCase(Locale.ROOT);
                protocol = protocol(p);
                if (protocol == null) {
                    throw invalid(
                            "--add-endpoint `" + spec.strip() + "`: protocol `" + fields[1] + "` must be rest or l4");
                }
            }
        }
        if (access != null && protocol == Protocol.L4) {
            throw invalid("--add-endpoint `" + spec.strip() + "`: access " + access.yaml()
                    + " needs protocol rest (an l4 endpoint cannot inspect requests)");
        }
        return new PolicyUpdate.AddEndpoint(
                blankToNull(policyKey), hp.host(), hp.port(), access, protocol, binaries(binaries));
    }

    public static PolicyUpdate.RemoveEndpoint removeEndpoint(String spec) {
        HostPort hp = HostPort.parse(spec, "--remove-endpoint");
        if (hp.rest() != null) {
            throw invalid("--remove-endpoint `" + spec.strip() + "`: expected HOST:PORT, e.g. api.github.com:443");
        }
        return new PolicyUpdate.RemoveEndpoint(hp.host(), hp.port());
    }

    public static PolicyUpdate.AddAllow addAllow(String spec, String binary) {
        Rule rule = rule(spec, "--add-allow");
        String b = blankToNull(binary);
        if (b == null) {
            throw invalid("--add-allow needs --binary: an allow rule is added for one binary");
        }
        return new PolicyUpdate.AddAllow(rule.host, rule.port, b, rule.method, rule.path);
    }

    public static PolicyUpdate.AddDeny addDeny(String spec, String binary) {
        Rule rule = rule(spec, "--add-deny");
        return new PolicyUpdate.AddDeny(rule.host, rule.port, blankToNull(binary), rule.method, rule.path);
    }

    private record Rule(String host, int port, String method, String path) {}

    /** {@code HOST:PORT METHOD [PATH]} or {@code HOST:PORT:METHOD[:PATH]}; PATH defaults to {@code /**}. */
    private static Rule rule(String spec, String what) {
        String s = spec == null ? "" : spec.strip();
        String method;
        String path;
        HostPort hp;
        String[] words = WHITESPACE.split(s);
        if (words.length > 1) {
            if (words.length > 3) {
                throw invalid(what + " `" + s + "`: expected HOST:PORT METHOD [PATH], got " + words.length + " words");
            }
            hp = HostPort.parse(words[0], what);
            if (hp.rest() != null) {
                throw invalid(what + " `" + s + "`: expected HOST:PORT METHOD [PATH]; `" + words[0]
                        + "` has more than HOST:PORT");
            }
            method = words[1];
            path = words.length == 3 ? words[2] : null;
        } else {
            hp = HostPort.parse(s, what);
            if (hp.rest() == null || hp.rest().isEmpty()) {
                throw invalid(what + " `" + s + "`: expected HOST:PORT:METHOD[:PATH] or 'HOST:PORT METHOD [PATH]'");
            }
            int colon = hp.rest().indexOf(':');
            method = colon < 0 ? hp.rest() : hp.rest().substring(0, colon);
            path = colon < 0 ? null : hp.rest().substring(colon + 1);
        }
        if (!METHOD.matcher(method).matches()) {
            throw invalid(what + " `" + s + "`: method `" + method + "` must be an HTTP method such as GET, or *");
        }
        if (path == null || path.isEmpty()) {
            path = "/**";
        } else if (!path.startsWith("/")) {
            throw invalid(what + " `" + s + "`: path `" + path + "` must start with /");
        }
        return new Rule(hp.host(), hp.port(), method.toUpperCase(Locale.ROOT), path);
    }

    private static Protocol protocol(String s) {
        return switch (s) {
            case "rest" -> Protocol.REST;
            case "l4" -> Protocol.L4;
            default -> null;
        };
    }

    private static List<String> binaries(List<String> binaries) {
        List<String> out = new ArrayList<>();
        if (binaries != null) {
            for (String b : binaries) {
                String t = blankToNull(b);
                if (t != null && !out.contains(t)) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}

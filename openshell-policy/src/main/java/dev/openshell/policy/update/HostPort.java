package dev.openshell.policy.update;

import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyUpdate;
import dev.openshell.policy.net.HostName;
import java.util.regex.Pattern;

/**
 * The {@code HOST:PORT} head of an update spec, with the host in the canonical form the policy
 * model stores (lower-case, no trailing dot, punycode, IPv6 without brackets in compressed form).
 *
 * <p>An IPv6 literal must be written in brackets ({@code [::1]:443}), otherwise its colons could
 * not be told apart from the spec's separators.
 *
 * @param host canonical host
 * @param port 1..65535
 * @param rest what followed {@code HOST:PORT:}, or {@code null} when the spec ended after the port
 */
public record HostPort(String host, int port, String rest) {

    private static final Pattern DIGITS = Pattern.compile("\\d{1,5}");

    /** Parses {@code HOST:PORT[:REST]}; {@code what} names the option in messages. */
    public static HostPort parse(String spec, String what) {
        String s = spec == null ? "" : spec.strip();
        if (s.isEmpty()) {
            throw invalid(what + ": expected HOST:PORT, got an empty value");
        }
        String rawHost;
        String afterHost;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw invalid(what + " `" + s + "`: missing `]` after the IPv6 address");
            }
            rawHost = s.substring(1, close);
            afterHost = s.substring(close + 1);
            if (!afterHost.startsWith(":")) {
                throw invalid(what + " `" + s + "`: expected `:PORT` after `]`");
            }
            afterHost = afterHost.substring(1);
        } else {
            int colon = s.indexOf(':');
            if (colon < 0) {
                throw invalid(what + " `" + s + "`: expected HOST:PORT, e.g. api.github.com:443");
            }
            rawHost = s.substring(0, colon);
            afterHost = s.substring(colon + 1);
        }
        int sep = afterHost.indexOf(':');
        String portText = sep < 0 ? afterHost : afterHost.substring(0, sep);
        String rest = sep < 0 ? null : afterHost.substring(sep + 1);
        if (!s.startsWith("[") && looksLikeBareIpv6(rawHost, portText)) {
            throw invalid(what + " `" + s + "`: write an IPv6 address in brackets, e.g. [2001:db8::1]:443");
        }
        if (rawHost.isEmpty()) {
            throw invalid(what + " `" + s + "`: the host is empty");
        }
        return new HostPort(canonicalHost(rawHost, s.startsWith("["), what), port(portText, s, what), rest);
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    public static String display(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static boolean looksLikeBareIpv6(String rawHost, String portText) {
        // "::1:443" leaves an empty host; "2001:db8::1:443" leaves a hex group where the port goes.
        return rawHost.isEmpty() && portText.isEmpty()
                || !DIGITS.matcher(portText).matches() && isHex(rawHost) && (portText.isEmpty() || isHex(portText));
    }

    private static boolean isHex(String s) {
        return !s.isEmpty() && s.length() <= 4 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static int port(String text, String spec, String what) {
        if (!DIGITS.matcher(text).matches()) {
            throw invalid(what + " `" + spec + "`: port `" + text + "` must be a number from 1 to 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw invalid(what + " `" + spec + "`: port " + port + " is out of range 1..65535");
        }
        return port;
    }

    /**
     * Canonicalises a host (or host pattern) exactly as policy validation does, so an update names
     * the same host the stored policy does and a bad host is reported with the spec it came in.
     */
    static String canonicalHost(String raw, boolean bracketed, String what) {
        try {
            // Brackets make HostName read the text as IPv6 only, as the spec syntax promised.
            return HostName.canonicalizePattern(bracketed ? "[" + raw + "]" : raw);
        } catch (IllegalArgumentException e) {
            throw invalid(what + ": " + e.getMessage());
        }
    }

    static PolicyException invalid(String message) {
        return new PolicyException(PolicyUpdate.INVALID, message);
    }
}

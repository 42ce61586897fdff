package dev.openshell.cli.remote;

import dev.openshell.api.SafeText;
import dev.openshell.cli.support.CliErrors;
import java.util.regex.Pattern;

/**
 * Where {@code --remote} points: {@code [user@]host} as OpenSSH takes it (the host may be an alias
 * of {@code ~/.ssh/config}), or {@code ssh://[user@]host[:port]}. Names that could pass for an
 * option ({@code -oProxyCommand=...}) or carry spaces, quotes or control characters are refused.
 *
 * @param user the login name, or null to use the configuration's {@code User} (else the local one)
 * @param host the host name, address or configuration alias
 * @param port the SSH port, or 0 to use the configuration's {@code Port} (else 22)
 */
public record SshTarget(String user, String host, int port) {

    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}|[0-9A-Fa-f:.]{2,45}");

    public static SshTarget parse(String text) {
        String rest = text;
        int port = 0;
        if (rest.startsWith("ssh://")) {
            rest = rest.substring("ssh://".length());
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            int colon = rest.lastIndexOf(':');
            int bracket = rest.lastIndexOf(']');
            if (colon > bracket && (bracket >= 0 || rest.indexOf(':') == colon)) {
                port = parsePort(text, rest.substring(colon + 1));
                rest = rest.substring(0, colon);
            }
        }
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
            if (!USER.matcher(user).matches()) {
                throw invalid(text, "the user name " + SafeText.quote(user) + " is not a login name");
            }
        }
        if (rest.startsWith("[") && rest.endsWith("]")) {
            rest = rest.substring(1, rest.length() - 1);
        }
        if (!HOST.matcher(rest).matches()) {
            throw invalid(text, "the host " + SafeText.quote(rest) + " is not a host name, address or alias");
        }
        return new SshTarget(user, rest, port);
    }

    private static int parsePort(String text, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(text, "the SSH port " + SafeText.quote(port) + " is not in 1-65535");
    }

    private static RuntimeException invalid(String text, String why) {
        return CliErrors.usage(
                "--remote " + SafeText.quote(text) + ": " + why,
                "give user@host, a host alias of ~/.ssh/config, or ssh://user@host:port");
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (user != null ? user + "@" : "") + h + (port > 0 ? ":" + port : "");
    }
}

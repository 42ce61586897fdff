package dev.openshell.cli.ssh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The OpenSSH client configuration for one sandbox: a {@code Host openshell-NAME} block whose
 * {@code ProxyCommand} is {@code openshell ssh-proxy}, with this CLI's key, our own {@code
 * known_hosts} checked strictly, and every kind of forwarding toward this host off. A stock
 * {@code ssh -F FILE openshell-NAME} or an IDE's remote-SSH uses it as is.
 *
 * @param identity the key and pinned host key
 * @param user who to log in as
 * @param self how to run this CLI ({@link SelfCommand})
 * @param configHome {@code XDG_CONFIG_HOME} to hand to the proxy command, or null for its default
 */
public record SshClientConfig(SandboxSshIdentity identity, String user, List<String> self, Path configHome) {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:@,+-]+");

    /** The {@code Host} block, ending in a newline. */
    public String block() {
        StringBuilder b = new StringBuilder();
        b.append("Host ").append(identity.alias()).append('\n');
        line(b, "User", user);
        line(b, "ProxyCommand", proxyCommand());
        line(b, "IdentityFile", quoted(identity.privateKey().toString()));
        line(b, "IdentitiesOnly", "yes");
        line(b, "UserKnownHostsFile", quoted(identity.knownHosts().toString()));
        line(b, "GlobalKnownHostsFile", "/dev/null");
        line(b, "HostKeyAlias", identity.alias());
        line(b, "StrictHostKeyChecking", "yes");
        line(b, "CheckHostIP", "no");
        line(b, "UpdateHostKeys", "no");
        line(b, "PasswordAuthentication", "no");
        line(b, "KbdInteractiveAuthentication", "no");
        line(b, "ForwardAgent", "no");
        line(b, "ForwardX11", "no");
        line(b, "ServerAliveInterval", "30");
        line(b, "LogLevel", "ERROR");
        return b.toString();
    }

    /** The proxy command line, for a shell ({@code ssh} runs it with {@code $SHELL -c}). */
    String proxyCommand() {
        List<String> words = new ArrayList<>();
        if (configHome != null) {
            words.add("env");
            words.add("XDG_CONFIG_HOME=" + configHome);
        }
        words.addAll(self);
        words.add("ssh-proxy");
        words.add("--gateway");
        words.add(identity.gateway());
        words.add(identity.sandbox());
        StringBuilder line = new StringBuilder();
        for (String w : words) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(shellQuote(w));
        }
        // ssh_config expands %-tokens in ProxyCommand: a literal % is %%.
        return line.toString().replace("%", "%%");
    }

    static String shellQuote(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }

    private static String quoted(String path) {
        return PLAIN.matcher(path).matches() ? path : "\"" + path + "\"";
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append("  ").append(key).append(' ').append(value).append('\n');
    }
}

package dev.openshell.cli.remote;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.cli.context.RemoteHost;
import dev.openshell.cli.support.CliErrors;
import dev.openshell.sandbox.ssh.ShellWords;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code gateway stop} and {@code gateway destroy} of a gateway started with {@code --remote}:
 * over SSH, the {@code openshell} copied to the host stops or destroys it there (destroy deletes
 * its sandboxes, stops it and its sandbox host, removes its data), and destroy then removes the
 * distribution and this CLI's state on the host once no gateway of it is left. When the host cannot
 * be reached, the error says exactly what to run there.
 */
public final class RemoteGatewayControl {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private RemoteGatewayControl() {}

    /** Stops the gateway; returns what {@code openshell gateway stop} printed there. */
    public static String stop(String name, RemoteHost host, SshLogin login, Consumer<String> progress) {
        RemoteLayout layout = layout(host);
        String command = layout.openshell(List.of("gateway", "stop", name));
        return runThere(name, host, login, command, "stop", progress).stdout().strip();
    }

    /** Destroys the gateway and, when it was the host's last, everything this CLI put there. */
    public static void destroy(String name, RemoteHost host, SshLogin login, Consumer<String> progress) {
        RemoteLayout layout = layout(host);
        String root = layout.root();
        String command = layout.openshell(List.of("gateway", "destroy", name, "--yes"))
                        .replaceFirst("^cd / && exec ", "cd / && ")
                + " && cd " + ShellWords.quote(root)
                + " && if [ -z \"$(ls -A gateways 2>/dev/null)\" ]; then rm -rf dist remote && rmdir gateways 2>/dev/null;"
                + " cd / && rmdir " + ShellWords.quote(root) + " 2>/dev/null; fi; exit 0";
        runThere(name, host, login, command, "destroy", progress);
    }

    private static RemoteShell.Result runThere(
            String name, RemoteHost host, SshLogin login, String command, String verb, Consumer<String> progress) {
        SshTarget target = SshTarget.parse(host.ssh());
        String manual = SshConnector.sshCommand(target, login) + " " + ShellWords.quote(command);
        progress.accept("connecting to " + host.ssh() + " over SSH to " + verb + " gateway " + name);
        try (RemoteShell shell = SshConnector.connect(target, login)) {
            RemoteShell.Result r = shell.run(command, java.io.InputStream.nullInputStream(), null, TIMEOUT);
            if (!r.ok()) {
                throw CliErrors.of(
                        ErrorCode.REMOTE_COMMAND_FAILED,
                        "cannot " + verb + " gateway " + name + " on " + shell.destination() + ": " + r.lastError(),
                        "to run it by hand: " + manual);
            }
            return r;
        } catch (ApiException e) {
            if (e.code() == ErrorCode.REMOTE_COMMAND_FAILED) {
                throw e;
            }
            throw CliErrors.of(
                    e.code(),
                    SafeText.oneLine(e.getMessage(), 300),
                    (e.hint() != null ? e.hint() + "; then " : "") + "to run it by hand: " + manual);
        }
    }

    private static RemoteLayout layout(RemoteHost host) {
        return new RemoteLayout(host.home(), host.version());
    }
}

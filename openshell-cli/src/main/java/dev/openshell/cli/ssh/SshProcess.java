package dev.openshell.cli.ssh;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the system's {@code ssh} with a configuration file of ours. On a terminal, ssh gets this
 * process's terminal itself (it handles raw mode and window changes); otherwise its streams are
 * copied to and from the command's, so callers and tests see its output.
 */
public final class SshProcess {

    private SshProcess() {}

    /** {@code ssh -F config [options...] alias [command...]}; returns ssh's exit status. */
    public static int run(
            Path config,
            List<String> options,
            String alias,
            List<String> command,
            boolean terminal,
            InputStream stdin,
            PrintWriter out,
            PrintWriter err) {
        Path ssh = SshAccessSetup.sshBinary();
        if (ssh == null) {
            throw CliErrors.of(
                    ErrorCode.UNAVAILABLE,
                    "no OpenSSH client (ssh) on this host",
                    "install it: apt-get install openssh-client");
        }
        List<String> argv = new ArrayList<>(List.of(ssh.toString(), "-F", config.toString()));
        argv.addAll(options);
        argv.add(alias);
        if (!command.isEmpty()) {
            argv.add("--");
            argv.addAll(command);
        }
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (terminal) {
            pb.inheritIO();
        }
        try {
            Process p = pb.start();
            if (!terminal) {
                Thread o = copy(p.getInputStream(), out);
                Thread e = copy(p.getErrorStream(), err);
                Thread.ofVirtual().start(() -> {
                    try (OutputStream to = p.getOutputStream()) {
                        if (stdin != null) {
                            stdin.transferTo(to);
                        }
                    } catch (IOException ignored) {
                        // ssh closed its input
                    }
                });
                int status = p.waitFor();
                o.join();
                e.join();
                return status;
            }
            return p.waitFor();
        } catch (IOException e) {
            throw CliErrors.of(
                    ErrorCode.UNAVAILABLE, "cannot run " + ssh + ": " + e.getMessage(), "check the installation");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ErrorCode.UNAVAILABLE.exitCode();
        }
    }

    private static Thread copy(InputStream from, PrintWriter to) {
        return Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[8192];
            try (from) {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                    // ssh's own messages and the remote command's output are text for our writer.
                    to.write(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    to.flush();
                }
            } catch (IOException ignored) {
                // ssh ended
            }
        });
    }
}

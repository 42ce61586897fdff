package dev.openshell.sandbox.net;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Runs {@code ip} and {@code nft} in the host namespace; a failure is one line naming the command. */
final class HostCommand {

    private static final long TIMEOUT_SECONDS = 30;
    private static final int MAX_MESSAGE = 600;
    private static final Pattern BATCH_FAILURE = Pattern.compile("Command failed -:(\\d+)");
    private static final List<Path> SEARCH_PATH = dev.openshell.sandbox.linux.SystemTools.DIRECTORIES;

    private HostCommand() {}

    static String run(String... command) {
        return run(List.of(command), null);
    }

    /** Runs {@code command} with {@code stdin} (or none) and returns its stdout. */
    static String run(List<String> command, String stdin) {
        Process process;
        try {
            List<String> resolved = new java.util.ArrayList<>(command);
            resolved.set(0, locate(command.getFirst()).toString());
            process = new ProcessBuilder(resolved).start();
        } catch (IOException e) {
            throw failure(command, "cannot start: " + e.getMessage());
        }
        CompletableFuture<String> stderr =
                CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()), Thread.ofVirtual()::start);
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The command exited without reading; its exit status and stderr say why.
        }
        String stdout = readAll(process.getInputStream());
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw failure(command, "no exit after " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failure(command, "interrupted");
        }
        if (process.exitValue() != 0) {
            String errors = stderr.join();
            throw failure(
                    command, failedScriptLine(stdin, errors) + "exit " + process.exitValue() + ": " + oneLine(errors));
        }
        return stdout;
    }

    /**
     * The line of an {@code ip -batch} script that failed (iproute2 reports {@code Command failed
     * -:N}), or 0 if the failure does not say.
     */
    static int failedBatchLine(NetworkException failure) {
        Matcher matcher = BATCH_FAILURE.matcher(failure.getMessage());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    /** Whether {@code name} is an executable in the usual system directories. */
    static boolean available(String name) {
        return SEARCH_PATH.stream().map(dir -> dir.resolve(name)).anyMatch(Files::isExecutable);
    }

    /**
     * {@code name} in the system directories, never from {@code PATH}: root's {@code PATH} may lack
     * the sbin directories ({@code su} without {@code -}), and a {@code PATH} that names a directory
     * others can write would hand them the host's firewall.
     */
    static Path locate(String name) throws IOException {
        return dev.openshell.sandbox.linux.SystemTools.locate(name)
                .orElseThrow(() -> new IOException(
                        name + " is not installed in " + SEARCH_PATH + " (apt-get install -y iproute2 nftables)"));
    }

    /** For a failed {@code ip -batch}, which script line failed: the command line alone hides it. */
    private static String failedScriptLine(String stdin, String stderr) {
        Matcher matcher = BATCH_FAILURE.matcher(stderr);
        if (stdin == null || !matcher.find()) {
            return "";
        }
        int line = Integer.parseInt(matcher.group(1));
        return stdin.lines()
                .skip(line - 1L)
                .findFirst()
                .map(text -> "line " + line + " `" + text + "`, ")
                .orElse("");
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String oneLine(String text) {
        String line = text.lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.matches("[\\^~ ]+"))
                .collect(Collectors.joining(" | "));
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
    }

    private static NetworkException failure(List<String> command, String reason) {
        return new NetworkException(
                ErrorCode.NETWORK_COMMAND_FAILED, "`" + String.join(" ", command) + "` failed: " + reason);
    }
}

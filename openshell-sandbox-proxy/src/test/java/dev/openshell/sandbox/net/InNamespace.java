package dev.openshell.sandbox.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A command run to completion (optionally inside a network namespace), with its output and how long
 * it took. Shared by the namespace tests of several packages.
 */
public record InNamespace(int exitCode, String stdout, String stderr, Duration took) {

    public static final String PYTHON =
            Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    /** Runs {@code command} inside {@code namespace} via {@code ip netns exec}. */
    public static InNamespace run(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return runOnHost(full);
    }

    public static InNamespace runOnHost(List<String> command) {
        long start = System.nanoTime();
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String out = read(process.getInputStream());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("no exit after 30 s: " + command);
            }
            return new InNamespace(process.exitValue(), out, err.join(), Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + " after " + took.toMillis() + " ms, stdout=" + stdout.strip() + ", stderr="
                + stderr.strip();
    }
}

package dev.openshell.sandbox.launch;

import static org.awaitility.Awaitility.await;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.ProcessPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The outcome of one real launch, plus what the launcher ITs share. */
record Launched(int exitCode, String stdout, String stderr) {

    static final List<String> SYSTEM_READ_ONLY = List.of("/usr", "/lib", "/lib64", "/bin", "/etc");

    /** Runs {@code command} to completion with stdin closed. */
    static Launched run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            CompletableFuture<String> stdout = readAsync(process.getInputStream());
            CompletableFuture<String> stderr = readAsync(process.getErrorStream());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Launched(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** A spec with the system directories read-only and {@code workdir} read-write, as user sandbox. */
    static LaunchSpec spec(Path workdir, LandlockPolicy.Compatibility compatibility, List<String> extraReadOnly) {
        List<String> readOnly =
                Stream.concat(SYSTEM_READ_ONLY.stream(), extraReadOnly.stream()).toList();
        return new LaunchSpec(
                workdir,
                new FilesystemPolicy(true, readOnly, List.of()),
                new LandlockPolicy(compatibility),
                ProcessPolicy.DEFAULT,
                null,
                false,
                List.of());
    }

    /**
     * A spec like the supervisor's: the system read-only, {@code /tmp} and the work directory
     * writable, the agent in its own root and PID namespace with the host's {@code hostWorkdir}
     * at {@code agentWorkdir}.
     */
    static LaunchSpec ownRoot(Path hostWorkdir, Path agentWorkdir, boolean execFromWritable) {
        return new LaunchSpec(
                        agentWorkdir,
                        new FilesystemPolicy(true, SYSTEM_READ_ONLY, List.of("/tmp"), execFromWritable),
                        new LandlockPolicy(LandlockPolicy.Compatibility.HARD_REQUIREMENT),
                        ProcessPolicy.DEFAULT,
                        null,
                        false,
                        List.of())
                .withPrivateMounts(List.of(new LaunchSpec.Bind(hostWorkdir, agentWorkdir)));
    }

    /** Starts {@code command} in the background, its output discarded. */
    static Process start(List<String> command) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits up to 10 s for {@code file} to exist. */
    static void awaitFile(Path file) {
        await(file + " to appear")
                .atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> Files.exists(file));
    }

    /** Waits up to 5 s until a process whose arguments contain {@code marker} runs on the host, or none does. */
    static void awaitProcessWithArgument(String marker, boolean present) {
        await("a process with argument " + marker + (present ? "" : " to be gone"))
                .atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(
                        () -> ProcessHandle.allProcesses()
                                .anyMatch(p -> p.info()
                                        .arguments()
                                        .map(a -> List.of(a).contains(marker))
                                        .orElse(false)),
                        found -> found == present);
    }

    /** A fresh directory owned by the sandbox user. */
    static Path sandboxOwnedDirectory(Path parent, String prefix) throws IOException {
        Path dir = Files.createTempDirectory(parent, prefix);
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(dir, users.lookupPrincipalByName(SandboxUser.NAME));
        return dir;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}

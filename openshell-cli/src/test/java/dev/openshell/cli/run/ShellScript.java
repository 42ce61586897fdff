package dev.openshell.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a bash script the way a person types it, with {@code $OPENSHELL} naming this checkout's
 * {@code bin/openshell}: pipes, redirections and {@code PIPESTATUS} are the shell's own. A script
 * that overruns its time is killed with everything it started, and the test fails.
 */
final class ShellScript {

    /** What the script printed and how it ended. */
    record Outcome(int exitCode, String out, String err, Duration took) {}

    private final Path repo;
    private final Path cache;
    private final Path tmp;

    private ShellScript(Path repo, Path cache, Path tmp) {
        this.repo = repo;
        this.cache = cache;
        this.tmp = tmp;
    }

    /** The checkout around the module under test; skips the test unless this is root. */
    static ShellScript asRoot(Path cache, Path tmp) throws IOException {
        Path module =
                Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path repo = module.getParent();
        assertThat(repo.resolve("openshell-cli/target/openshell.jar")).isRegularFile();
        boolean root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        if (!root) {
            System.out.println("SKIPPED: openshell run ITs need root");
        }
        assumeTrue(root, "openshell run ITs need root");
        return new ShellScript(repo, cache, tmp);
    }

    Path openshell() {
        return repo.resolve("bin/openshell");
    }

    Outcome run(String script) throws IOException, InterruptedException {
        return run(script, Duration.ofSeconds(90));
    }

    Outcome run(String script, Duration limit) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(tmp.toFile());
        pb.environment().put("OPENSHELL", openshell().toString());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            throw new AssertionError("did not finish in " + limit.toSeconds() + " s: " + script + "\n--- stdout\n"
                    + Files.readString(out) + "--- stderr\n" + Files.readString(err));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Outcome(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8),
                took);
    }
}

package dev.openshell.sandbox.launch;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.ProcessPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The unprivileged system account agents run as by default ({@code sandbox}, with a group of the
 * same name). {@link #ensureExists()} creates it when missing; it is idempotent and needs root.
 */
public final class SandboxUser {

    /** The default account name. */
    public static final String NAME = ProcessPolicy.DEFAULT_USER;

    private static final int USERADD_NAME_IN_USE = 9;

    private SandboxUser() {}

    /** Creates the {@code sandbox} user and group unless they exist. */
    public static void ensureExists() {
        ensureExists(NAME);
    }

    static synchronized void ensureExists(String name) {
        if (exists("passwd", name)) {
            return;
        }
        if (!isRoot()) {
            throw new LaunchException(
                    ErrorCode.SANDBOX_USER_FAILED, "user '" + name + "' is missing and only root can add it");
        }
        List<String> useradd = new ArrayList<>(List.of(
                "useradd",
                "--system",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin"));
        // --user-group refuses to reuse an existing group of that name; join it instead.
        useradd.addAll(exists("group", name) ? List.of("--gid", name) : List.of("--user-group"));
        useradd.add(name);
        Result result = run(useradd);
        // Another process may have added it between the check and useradd.
        if (result.exitCode() != 0 && !(result.exitCode() == USERADD_NAME_IN_USE && exists("passwd", name))) {
            throw new LaunchException(
                    ErrorCode.SANDBOX_USER_FAILED,
                    "useradd " + name + " failed (exit " + result.exitCode() + "): "
                            + result.output().strip());
        }
    }

    /** Whether this process runs as root ({@code /proc/self} belongs to the effective uid). */
    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static boolean exists(String database, String name) {
        return run(List.of("getent", database, name)).exitCode() == 0;
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(dev.openshell.sandbox.linux.SystemTools.resolved(command))
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new LaunchException(ErrorCode.SANDBOX_USER_FAILED, String.join(" ", command) + " timed out");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new LaunchException(ErrorCode.SANDBOX_USER_FAILED, "cannot run " + command.getFirst() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(
                    ErrorCode.SANDBOX_USER_FAILED, "interrupted while running " + command.getFirst(), e);
        }
    }

    private record Result(int exitCode, String output) {}
}

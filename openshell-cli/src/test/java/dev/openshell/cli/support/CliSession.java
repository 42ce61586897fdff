package dev.openshell.cli.support;

import dev.openshell.cli.CliRunner;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.gateway.it.RunningGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One user's shell for a test: a home, configuration and data directories of its own (so the
 * test never reads or writes the real {@code ~/.config/openshell}), extra variables, and the CLI
 * run in-process against them.
 */
public final class CliSession {

    private final Path home;
    private final Map<String, String> vars = new HashMap<>();

    public CliSession(Path home) {
        this.home = home;
        vars.put("HOME", home.toString());
        vars.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        vars.put("XDG_DATA_HOME", home.resolve("data").toString());
        vars.put("XDG_CACHE_HOME", home.resolve("cache").toString());
        vars.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    public Path home() {
        return home;
    }

    /** {@code <home>/config/openshell}. */
    public Path configDir() {
        return home.resolve("config").resolve("openshell");
    }

    public CliSession set(String name, String value) {
        vars.put(name, value);
        return this;
    }

    public CliSession unset(String name) {
        vars.remove(name);
        return this;
    }

    public Result run(String... args) {
        return CliRunner.run(env("", e -> e), args);
    }

    public Result runWithStdin(String stdin, String... args) {
        return CliRunner.run(env(stdin, e -> e), args);
    }

    /** As if a person typed {@code stdin} at a terminal. */
    public Result runInteractive(String stdin, String... args) {
        return CliRunner.run(env(stdin, e -> e.withInteractive(true)), args);
    }

    public CliEnvironment env(String stdin, UnaryOperator<CliEnvironment> adjust) {
        return CliRunner.env(Map.copyOf(vars), stdin, adjust);
    }

    /** Registers {@code gateway} as {@code name} with its operator client certificate, through {@code gateway add}. */
    public Result register(String name, RunningGateway gateway) {
        Path bundle = gateway.dataDir().resolve("tls/client");
        return run(
                "gateway",
                "add",
                gateway.url().toString(),
                "--name",
                name,
                "--ca",
                bundle.resolve("ca.crt").toString(),
                "--cert",
                bundle.resolve("tls.crt").toString(),
                "--key",
                bundle.resolve("tls.key").toString());
    }

    /** Registers and checks it worked. */
    public void registerOrFail(String name, RunningGateway gateway) {
        Result r = register(name, gateway);
        if (r.exitCode() != 0) {
            throw new AssertionError("gateway add failed: " + r);
        }
    }

    public static CliSession inTemp(String prefix) {
        try {
            return new CliSession(Files.createTempDirectory(prefix));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.openshell.cli.support;

import dev.openshell.bootstrap.local.LocalGateways;
import dev.openshell.cli.CliRunner.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real gateway daemon with the local driver, started through {@code gateway start} in a home of
 * its own, for the tests of one class: sandboxes are real (supervisors, namespaces, the SSH
 * server). {@link #close} deletes the sandboxes made through {@link #sandbox} and destroys it.
 */
public final class LocalDriverGateway implements AutoCloseable {

    private final CliSession cli;
    private final String name;
    private final List<String> sandboxes = java.util.Collections.synchronizedList(new ArrayList<>());

    private LocalDriverGateway(CliSession cli, String name) {
        this.cli = cli;
        this.name = name;
    }

    public static LocalDriverGateway start(String name) {
        CliSession cli = CliSession.inTemp("openshell-" + name + "-");
        Result r = cli.run("gateway", "start", "--name", name, "--port", Integer.toString(freePort()));
        if (r.exitCode() != 0) {
            LocalGateways.stop(cli.home().resolve("data/openshell/gateways").resolve(name), Duration.ofSeconds(30));
            throw new AssertionError("gateway start failed: " + r);
        }
        return new LocalDriverGateway(cli, name);
    }

    public CliSession cli() {
        return cli;
    }

    /** Creates a detached, idle sandbox (deleted by {@link #close}). */
    public String sandbox(String sandbox, String... createArgs) {
        sandboxes.add(sandbox);
        List<String> args = new ArrayList<>(List.of("sandbox", "create", "--name", sandbox, "--detach"));
        args.addAll(List.of(createArgs));
        Result r = cli.run(args.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new AssertionError("sandbox create failed: " + r);
        }
        return sandbox;
    }

    /** Remembers a sandbox a test created itself, so {@link #close} deletes it. */
    public void created(String sandbox) {
        sandboxes.add(sandbox);
    }

    public String name() {
        return name;
    }

    @Override
    public synchronized void close() {
        for (String s : sandboxes) {
            cli.run("sandbox", "delete", s);
        }
        sandboxes.clear();
        cli.run("gateway", "destroy", "--yes");
        Path data = cli.home().resolve("data/openshell/gateways").resolve(name);
        LocalGateways.stop(data, Duration.ofSeconds(30));
        deleteTree(cli.home());
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary directory is not worth failing the run for
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.openshell.gateway.it;

import dev.openshell.gateway.support.TempDirs;
import dev.openshell.testkit.Require;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL server for one test: {@code initdb} into a temporary directory, started
 * with {@code pg_ctl} on a free loopback port (no socket in the shared {@code /run}), stopped and
 * removed on close. Needs Debian's {@code postgresql} package; skips (or fails under CI) without
 * it. Runs as the {@code postgres} user when the test runs as root, as PostgreSQL requires.
 */
final class PostgresInstance implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private final Path dir;
    private final int port;

    private PostgresInstance(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static PostgresInstance start() throws Exception {
        Require.that(
                Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl")),
                "PostgreSQL 15 is not installed (apt-get install -y postgresql)");
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = TempDirs.create("openshell-pg");
        Path data = dir.resolve("data");
        if (root) {
            run(List.of("chown", "postgres:postgres", dir.toString()), false);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        run(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres"), root);
        run(
                List.of(
                        BIN.resolve("pg_ctl").toString(),
                        "-D",
                        data.toString(),
                        "-o",
                        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                        "-l",
                        dir.resolve("log").toString(),
                        "-w",
                        "start"),
                root);
        return new PostgresInstance(dir, port);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    private boolean closed;

    /** Stops the server and removes its files; a second close does nothing. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean root = "root".equals(System.getProperty("user.name"));
        run(
                List.of(
                        BIN.resolve("pg_ctl").toString(),
                        "-D",
                        dir.resolve("data").toString(),
                        "-m",
                        "immediate",
                        "stop"),
                root);
        TempDirs.delete(dir);
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> argv = new ArrayList<>();
        if (asPostgres) {
            argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        argv.addAll(command);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted: " + String.join(" ", argv), e);
        }
    }
}

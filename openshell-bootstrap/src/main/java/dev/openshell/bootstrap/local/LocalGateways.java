package dev.openshell.bootstrap.local;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.bootstrap.pki.CertificateBundle;
import dev.openshell.bootstrap.pki.GatewayCredentials;
import dev.openshell.bootstrap.pki.GatewayPki;
import dev.openshell.bootstrap.pki.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

/**
 * Gateways that run on this host as background daemons, one data directory each: {@link #start}
 * (idempotent), {@link #status}, {@link #stop}, {@link #destroy}. The gateway's PKI is made here,
 * before the daemon starts ({@link GatewayPki}, reused while valid), so the CLI's client bundle
 * exists as soon as the gateway answers.
 */
public final class LocalGateways {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(5);

    private LocalGateways() {}

    /** Whether the gateway of {@code dataDir} runs. */
    public static LocalGatewayStatus status(Path dataDir) {
        Optional<DaemonRecord> daemon = DaemonRecord.read(dataDir);
        return new LocalGatewayStatus(
                dataDir, daemon, daemon.flatMap(DaemonRecord::process).isPresent());
    }

    /**
     * Starts the gateway unless it runs already, then waits until it answers {@code /readyz}. A
     * port in use by another program, a daemon that exits during start-up, or one not ready in
     * time are {@link ApiException}s with a hint.
     */
    public static LocalGatewayStart start(LocalGatewaySpec spec, StartProgress progress) {
        LocalGatewayStatus current = status(spec.dataDir());
        Path bundle = spec.dataDir().resolve("tls").resolve("client");
        if (current.running()) {
            DaemonRecord d = current.daemon().orElseThrow();
            if (d.port() != spec.port() || !java.util.Objects.equals(d.bind(), spec.bind())) {
                String where = d.port() != spec.port() ? "on port " + d.port() : "on " + d.bind();
                throw new ApiException(Problem.of(
                                ErrorCode.CONFLICT,
                                "gateway " + spec.name() + " already runs " + where + " (pid " + d.pid() + ")")
                        .withHint(
                                "stop it first to change its address or port: openshell gateway stop " + spec.name()));
            }
            return new LocalGatewayStart(true, d, d.endpoint(), bundle, Duration.ZERO, Duration.ZERO, false);
        }
        if (!Files.isRegularFile(spec.gatewayJar())) {
            throw new ApiException(
                    Problem.of(ErrorCode.START_FAILED, "the gateway jar " + spec.gatewayJar() + " is missing")
                            .withHint("build it: ./mvnw -B -q -DskipTests package (or set OPENSHELL_GATEWAY_JAR)"));
        }
        requirePortFree(spec);
        createPrivateDir(spec.dataDir());

        long t0 = System.nanoTime();
        boolean firstStart = !Files.exists(spec.dataDir().resolve("tls").resolve("ca.crt"));
        progress.step(firstStart ? "making the gateway's certificates" : "checking the gateway's certificates");
        GatewayCredentials pki = GatewayPki.ensure(
                spec.dataDir().resolve("tls"), GatewayPki.Options.defaults().withExtraNames(spec.certificateNames()));
        Duration pkiTime = Duration.ofNanos(System.nanoTime() - t0);

        URI endpoint = endpoint(spec.bind(), spec.port());
        progress.step("starting gateway " + spec.name() + " on " + endpoint + " (driver " + spec.driver() + ")");
        long launched = System.nanoTime();
        DaemonRecord daemon = DaemonLauncher.launch(spec, progress);
        awaitReady(spec, daemon, pki.ca(), endpoint, launched, progress);
        Duration readyTime = Duration.ofNanos(System.nanoTime() - launched);
        return new LocalGatewayStart(false, daemon, endpoint, pki.clientBundleDir(), pkiTime, readyTime, firstStart);
    }

    /**
     * Stops the gateway: SIGTERM (Spring shuts down gracefully and a training run writes its AOT
     * cache), then SIGKILL after {@code timeout}. Returns false when it was not running.
     */
    public static boolean stop(Path dataDir, Duration timeout) {
        Optional<ProcessHandle> process = DaemonRecord.read(dataDir).flatMap(DaemonRecord::process);
        if (process.isEmpty()) {
            return false;
        }
        ProcessHandle p = process.get();
        p.destroy();
        try {
            p.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            p.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        } catch (java.util.concurrent.ExecutionException e) {
            // it is gone either way
        }
        return true;
    }

    /**
     * Stops the gateway if it runs, then its local driver's sandbox host (which outlives a gateway
     * stop on purpose: its sandboxes keep running; SIGTERM makes it stop them all), and removes the
     * data directory: database, keys, certificates, logs, workspaces.
     */
    public static void destroy(Path dataDir, Duration stopTimeout) {
        stop(dataDir, stopTimeout);
        stopSandboxHost(dataDir.resolve("local"), stopTimeout);
        try {
            FastStart.deleteTree(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** SIGTERM to the sandbox host whose pid file is in {@code hostDir}, SIGKILL after {@code timeout}. */
    static void stopSandboxHost(Path hostDir, Duration timeout) {
        Optional<ProcessHandle> host;
        try {
            String pid =
                    java.nio.file.Files.readString(hostDir.resolve("host.pid")).strip();
            host = ProcessHandle.of(Long.parseLong(pid))
                    .filter(p -> p.info().commandLine().orElse("").contains(hostDir.toString()));
        } catch (IOException | NumberFormatException e) {
            return; // never started, or already gone
        }
        host.ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        });
    }

    /** The URL clients use; a wildcard bind is reached on loopback, which the server certificate names. */
    static URI endpoint(String bind, int port) {
        String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return URI.create("https://" + host + ":" + port);
    }

    private static void awaitReady(
            LocalGatewaySpec spec,
            DaemonRecord daemon,
            CertificateBundle ca,
            URI endpoint,
            long launched,
            StartProgress progress) {
        long deadline = launched + spec.readyTimeout().toNanos();
        long nextReport = launched + REPORT_EVERY.toNanos();
        try (ReadinessProbe probe = new ReadinessProbe(endpoint, ca)) {
            while (true) {
                if (probe.ready()) {
                    return;
                }
                if (daemon.process().isEmpty()) {
                    throw exitedDuringStart(spec);
                }
                long now = System.nanoTime();
                if (now > deadline) {
                    throw new ApiException(Problem.of(
                                    ErrorCode.TIMEOUT,
                                    "gateway " + spec.name() + " did not become ready within "
                                            + spec.readyTimeout().toSeconds() + " s (it still runs, pid " + daemon.pid()
                                            + ")")
                            .withHint("it may still be starting: openshell gateway info; its log: " + log(spec)));
                }
                if (now > nextReport) {
                    progress.waiting(Duration.ofNanos(now - launched));
                    nextReport = now + REPORT_EVERY.toNanos();
                }
                Thread.sleep(POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.START_FAILED, "interrupted while waiting for the gateway");
        }
    }

    /** Why the daemon exited, from the end of its log: a port taken meanwhile is told apart. */
    private static ApiException exitedDuringStart(LocalGatewaySpec spec) {
        String tail = DaemonLog.tail(log(spec), 200);
        if (tail.contains("already in use") || tail.contains("Address in use")) {
            return portInUse(spec);
        }
        String reason = DaemonLog.lastError(tail);
        return new ApiException(Problem.of(
                        ErrorCode.START_FAILED,
                        "gateway " + spec.name() + " exited while starting" + (reason.isEmpty() ? "" : ": " + reason))
                .withHint("its log: " + log(spec)));
    }

    private static void requirePortFree(LocalGatewaySpec spec) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(spec.bind()), spec.port()));
        } catch (IOException e) {
            throw portInUse(spec);
        }
    }

    private static ApiException portInUse(LocalGatewaySpec spec) {
        return new ApiException(Problem.of(
                        ErrorCode.CONFLICT,
                        "port " + spec.port() + " on " + spec.bind() + " is in use by another program")
                .withHint("choose another port: openshell gateway start --name " + spec.name() + " --port "
                        + (spec.port() == 65535 ? 8444 : spec.port() + 1)));
    }

    private static Path log(LocalGatewaySpec spec) {
        return spec.dataDir().resolve("logs").resolve("daemon.out");
    }

    private static void createPrivateDir(Path dir) {
        try {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The CA certificate of the gateway in {@code dataDir} (trust for clients). */
    public static CertificateBundle ca(Path dataDir) {
        return PemFiles.read(dataDir.resolve("tls").resolve("ca.crt"), null);
    }
}

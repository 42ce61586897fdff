package dev.openshell.gateway.local;

import static org.awaitility.Awaitility.await;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.bootstrap.pki.CertificateBundle;
import dev.openshell.bootstrap.pki.PemFiles;
import dev.openshell.testkit.Require;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway process (the runnable jar) with the local driver, on a free port of its own, so
 * that a test can {@code kill -9} it and start another on the same data directory.
 */
final class GatewayProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/openshell-gateway-0.1.0-SNAPSHOT.jar");
    static final Path SANDBOX_JAR = Path.of("../openshell-sandbox-proxy/target/openshell-sandbox.jar");

    private final Path dataDir;
    private final Process process;
    private final int port;

    private GatewayProcess(Path dataDir, Process process, int port) {
        this.dataDir = dataDir;
        this.process = process;
        this.port = port;
    }

    static GatewayProcess start(Path dataDir) throws Exception {
        Require.that(
                Files.isRegularFile(JAR), "the runnable gateway jar is built by package: run verify, not just test");
        Require.that(
                Files.isRegularFile(SANDBOX_JAR),
                "openshell-sandbox.jar is built by package of openshell-sandbox-proxy");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-jar",
                JAR.toString(),
                "--data-dir",
                dataDir.toString(),
                "--port",
                Integer.toString(port),
                "--driver",
                "local",
                "--openshell.gateway.local.sandbox-jar="
                        + SANDBOX_JAR.toAbsolutePath().normalize()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dataDir.resolve("gateway.stdout").toFile()))
                .start();
        GatewayProcess gateway = new GatewayProcess(dataDir, process, port);
        gateway.awaitReady();
        return gateway;
    }

    private void awaitReady() throws IOException {
        Path ca = dataDir.resolve("tls/client/ca.crt");
        try {
            await("the gateway ready")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the gateway exited");
                        }
                        return Files.exists(ca) && answersReady();
                    });
        } catch (RuntimeException e) {
            throw new IllegalStateException("the gateway did not become ready:\n" + log(), e);
        }
    }

    private boolean answersReady() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().sslContext(trust()).build()) {
            HttpResponse<String> ready = http.send(
                    HttpRequest.newBuilder(URI.create(url() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return ready.statusCode() == 200;
        } catch (IOException | RuntimeException notYet) {
            return false; // not listening yet
        }
    }

    String log() throws IOException {
        return Files.readString(dataDir.resolve("gateway.stdout"));
    }

    int port() {
        return port;
    }

    String url() {
        return "https://localhost:" + port;
    }

    private CertificateBundle ca() {
        return PemFiles.read(dataDir.resolve("tls/client/ca.crt"), null);
    }

    javax.net.ssl.SSLContext trust() {
        return ca().sslContext(ca());
    }

    /** A client with the operator's certificate. */
    GatewayClient operator() {
        Path dir = dataDir.resolve("tls/client");
        CertificateBundle cert = PemFiles.read(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        return GatewayClient.builder(URI.create(url()))
                .sslContext(cert.sslContext(ca()))
                .requestTimeout(Duration.ofSeconds(120))
                .build();
    }

    /** {@code kill -9}: no shutdown hook, no goodbye to the sandbox host. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

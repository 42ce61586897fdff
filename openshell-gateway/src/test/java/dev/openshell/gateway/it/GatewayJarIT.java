package dev.openshell.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.gateway.support.TempDirs;
import dev.openshell.testkit.Require;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The runnable jar as the README starts it: {@code java -jar ... --data-dir D --port P}. */
class GatewayJarIT {

    @Test
    void theJarStartsWithItsFlagsAndLogsToTheDataDirectory() throws Exception {
        Path jar = Path.of("target/openshell-gateway-0.1.0-SNAPSHOT.jar");
        Require.that(Files.isRegularFile(jar), "the runnable jar is built by package: run verify, not just test");
        Path data = TempDirs.create("openshell-jar");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process gateway = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "--data-dir",
                        data.toString(),
                        "--port",
                        Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("stdout").toFile())
                .start();
        try {
            RunningGatewayView view = new RunningGatewayView(data);
            HttpClient http = HttpClient.newBuilder().sslContext(view.trust()).build();
            HttpResponse<String> ready = await("the gateway's /readyz")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsInstanceOf(java.io.IOException.class)
                    .until(
                            () -> {
                                assertThat(gateway.isAlive())
                                        .as(Files.readString(data.resolve("stdout")))
                                        .isTrue();
                                return http.send(
                                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/readyz"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString());
                            },
                            java.util.Objects::nonNull);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(Files.readString(data.resolve("logs/gateway.log"))).contains("Started GatewayApplication");
            assertThat(Files.readString(data.resolve("stdout"))).contains("Started GatewayApplication");
            http.close();
        } finally {
            gateway.destroy();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
            TempDirs.delete(data);
        }
    }

    /** Trust for a gateway's CA once it has written it. */
    private record RunningGatewayView(Path data) {
        javax.net.ssl.SSLContext trust() throws Exception {
            Path ca = data.resolve("tls/client/ca.crt");
            await(ca + " written").atMost(Duration.ofSeconds(90)).until(() -> Files.exists(ca));
            var bundle = dev.openshell.bootstrap.pki.PemFiles.read(ca, null);
            return bundle.sslContext(bundle);
        }
    }
}

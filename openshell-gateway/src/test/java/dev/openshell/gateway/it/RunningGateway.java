package dev.openshell.gateway.it;

import dev.openshell.api.client.GatewayClient;
import dev.openshell.bootstrap.pki.CertificateBundle;
import dev.openshell.bootstrap.pki.PemFiles;
import dev.openshell.gateway.GatewayApplication;
import dev.openshell.gateway.testdriver.ProcessTestDriver;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real gateway in this JVM: HTTPS on an ephemeral loopback port, its own data directory, the
 * process test driver, SQLite or the database {@code dbUrl} names. Close it to stop it (its
 * workloads keep running, as supervisors outlive a gateway); start another on the same data
 * directory to restart.
 */
public final class RunningGateway implements AutoCloseable {

    private final Path dataDir;
    private final ConfigurableApplicationContext context;
    private final int port;

    private RunningGateway(Path dataDir, ConfigurableApplicationContext context) {
        this.dataDir = dataDir;
        this.context = context;
        this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public static RunningGateway start(Path dataDir, String dbUrl, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("openshell.gateway.data-dir", dataDir.toString());
        props.put("openshell.gateway.port", "0");
        props.put("openshell.gateway.driver", ProcessTestDriver.NAME);
        if (dbUrl != null) {
            props.put("openshell.gateway.db-url", dbUrl);
        }
        props.putAll(extra);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class)
                .properties(props)
                .run();
        return new RunningGateway(dataDir, context);
    }

    public static RunningGateway start(Path dataDir) {
        return start(dataDir, null, Map.of());
    }

    public URI url() {
        return URI.create("https://localhost:" + port);
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** The CA, as the CLI's client bundle holds it. */
    public CertificateBundle ca() {
        return PemFiles.read(dataDir.resolve("tls/client/ca.crt"), null);
    }

    /** The operator's client certificate, from the CLI's bundle. */
    public CertificateBundle clientCertificate() {
        Path dir = dataDir.resolve("tls/client");
        return PemFiles.read(dir.resolve("tls.crt"), dir.resolve("tls.key"));
    }

    /** A client presenting the operator's certificate. */
    public GatewayClient operator() {
        return GatewayClient.builder(url())
                .sslContext(clientCertificate().sslContext(ca()))
                .requestTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** A client that trusts the gateway and presents {@code token}. */
    public GatewayClient withToken(String token) {
        return GatewayClient.builder(url())
                .sslContext(trustOnly())
                .bearerToken(token)
                .build();
    }

    /** A TLS context that trusts the gateway's CA and presents no certificate. */
    public SSLContext trustOnly() {
        return ca().sslContext(ca());
    }

    @Override
    public void close() {
        context.close();
    }
}

package dev.openshell.bootstrap.local;

import dev.openshell.api.ApiPaths;
import dev.openshell.bootstrap.pki.CertificateBundle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks a gateway's {@code /readyz} over TLS, trusting only the gateway's own CA. */
public final class ReadinessProbe implements AutoCloseable {

    private final HttpClient http;
    private final URI readyz;

    public ReadinessProbe(URI endpoint, CertificateBundle ca) {
        this.http = HttpClient.newBuilder()
                .sslContext(ca.sslContext(ca))
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        this.readyz = endpoint.resolve(ApiPaths.READYZ);
    }

    /** Whether the gateway answers ready now. */
    public boolean ready() {
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(readyz)
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}

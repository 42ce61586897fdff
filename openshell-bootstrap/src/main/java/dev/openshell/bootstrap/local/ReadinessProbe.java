package dev.openshell.bootstrap.local;

import dev.openshell.api.ApiPaths;
import dev.openshell.bootstrap.pki.CertificateBundle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    /**
     * Whether the gateway answers ready now. The wait is bounded here, not only by the request's
     * timeout: the client enforces that on its selector thread, and a TLS handshake that stalls on
     * a starved gateway could otherwise hold this call (and the start waiting on it) indefinitely.
     */
    public boolean ready() {
        CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(
                HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        try {
            return answer.get(3, TimeUnit.SECONDS).statusCode() == 200;
        } catch (ExecutionException | TimeoutException e) {
            answer.cancel(true);
            return false;
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Ends at once: {@code HttpClient.close()} would wait for a stalled exchange to finish. */
    @Override
    public void close() {
        http.shutdownNow();
    }
}

package dev.openshell.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.gateway.support.TempDirs;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With its PostgreSQL gone, the gateway says so: {@code /readyz} fails, API calls are 503 problems, and nothing leaks. */
class DatabaseOutageIT {

    @Test
    void readyzFailsAndCallsAre503WhileTheDatabaseIsDown() throws Exception {
        Path dataDir = TempDirs.create("openshell-outage");
        PostgresInstance postgres = PostgresInstance.start();
        try (RunningGateway gw = RunningGateway.start(dataDir, postgres.jdbcUrl(), Map.of());
                GatewayClient op = gw.operator();
                HttpClient http =
                        HttpClient.newBuilder().sslContext(gw.trustOnly()).build()) {
            HttpRequest readyz =
                    HttpRequest.newBuilder(gw.url().resolve("/readyz")).build();
            assertThat(http.send(readyz, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            assertThat(op.sandboxes().list(null).toList()).isEmpty();

            postgres.close();

            HttpResponse<String> down = http.send(readyz, HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body())
                    .contains("\"code\":\"unavailable\"")
                    .doesNotContain("postgres")
                    .doesNotContain("5432");
            assertThatThrownBy(() -> op.sandboxes().list(null).toList())
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                        assertThat(e.getMessage()).doesNotContain("127.0.0.1").doesNotContain("jdbc");
                    });
        } finally {
            postgres.close();
            TempDirs.delete(dataDir);
        }
    }
}

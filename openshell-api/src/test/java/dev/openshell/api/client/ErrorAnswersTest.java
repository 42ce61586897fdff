package dev.openshell.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ErrorAnswersTest {

    @Test
    void aRefusedConnectionSaysSoInWords() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI gateway = URI.create("https://127.0.0.1:" + port);
        IOException failure;
        try (HttpClient http = HttpClient.newHttpClient()) {
            failure = org.junit.jupiter.api.Assertions.assertThrows(
                    IOException.class,
                    () -> http.send(
                            HttpRequest.newBuilder(gateway.resolve("/healthz")).build(),
                            HttpResponse.BodyHandlers.discarding()));
        }

        ApiException e = ErrorAnswers.fromFailure(failure, gateway, "/healthz");

        assertThat(e.code()).isEqualTo(ErrorCode.GATEWAY_UNREACHABLE);
        assertThat(e.getMessage())
                .startsWith("cannot connect to the gateway at " + gateway + ": ")
                .doesNotContain("Exception");
    }

    @Test
    void aConnectFailureWithAMessageKeepsIt() {
        assertThat(ErrorAnswers.connectReason(new ConnectException("No route to host")))
                .isEqualTo("No route to host");
    }
}

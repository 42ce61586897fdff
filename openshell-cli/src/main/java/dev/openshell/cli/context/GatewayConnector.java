package dev.openshell.cli.context;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.GatewayClientBuilder;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/** Builds the {@link GatewayClient} for a registered gateway from the credentials stored beside it. */
public final class GatewayConnector {

    /**
     * How long connecting may take. Short, so a stopped or unreachable gateway is reported within
     * five seconds; a request's own timeout is separate.
     */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(4);

    /** How long an ordinary request may wait for its answer. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final GatewayRegistry registry;

    public GatewayConnector(GatewayRegistry registry) {
        this.registry = registry;
    }

    public GatewayClient connect(GatewayEntry entry, Duration requestTimeout) {
        Path mtls = registry.mtlsDir(entry.name());
        Path ca = mtls.resolve("ca.crt");
        GatewayClientBuilder b = GatewayClient.builder(entry.endpoint())
                .connectTimeout(CONNECT_TIMEOUT)
                .requestTimeout(requestTimeout);
        if (entry.auth() == GatewayEntry.Auth.TOKEN) {
            b.bearerToken(token(entry.name()));
            if (entry.endpoint().getScheme().equals("https")) {
                b.sslContext(ClientTls.context(Files.exists(ca) ? ca : null, null, null));
            }
        } else {
            b.sslContext(ClientTls.context(ca, mtls.resolve("tls.crt"), mtls.resolve("tls.key")));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw CliErrors.usage(e.getMessage(), "register the gateway again with an https:// URL");
        }
    }

    private String token(String name) {
        Path file = registry.tokenFile(name);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw CliErrors.of(
                    ErrorCode.UNAUTHORIZED,
                    "the API token of gateway " + name + " is missing (" + file + ")",
                    "register it again: openshell gateway add URL --name " + name + " --token T");
        } catch (IOException e) {
            throw CliErrors.of(
                    ErrorCode.UNAUTHORIZED, "cannot read " + file + ": " + e.getMessage(), "check its permissions");
        }
    }
}

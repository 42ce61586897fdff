package dev.openshell.bootstrap.local;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The outcome of {@link LocalGateways#start}.
 *
 * @param alreadyRunning the gateway was running already; nothing was started
 * @param clientBundle {@code ca.crt}, {@code tls.crt}, {@code tls.key} for the CLI
 * @param pkiTime how long making or checking the certificates took (the first start makes them)
 * @param readyTime from launching the process to its first ready answer (zero when already running)
 */
public record LocalGatewayStart(
        boolean alreadyRunning,
        DaemonRecord daemon,
        URI endpoint,
        Path clientBundle,
        Duration pkiTime,
        Duration readyTime,
        boolean madeCertificates) {}

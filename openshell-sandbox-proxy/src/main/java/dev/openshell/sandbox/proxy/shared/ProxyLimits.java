package dev.openshell.sandbox.proxy.shared;

import java.time.Duration;

/**
 * Resource limits that protect the proxy from hostile or broken clients.
 *
 * @param maxHeaderBytes largest request head (request line plus headers) accepted; larger gets 431
 * @param maxHeaders most header fields accepted in one request; more gets 431
 * @param headerTimeout time allowed to deliver a complete request head; slower gets 408
 * @param idleTimeout a connection with no traffic in either direction for this long is closed
 * @param maxConnections concurrent client connections; the next one gets 503
 * @param connectTimeout time allowed to open the upstream connection; slower gets 504
 * @param maxInferenceBody largest request body handed to the inference handler; larger gets 413
 */
public record ProxyLimits(
        int maxHeaderBytes,
        int maxHeaders,
        Duration headerTimeout,
        Duration idleTimeout,
        int maxConnections,
        Duration connectTimeout,
        int maxInferenceBody) {

    public static final ProxyLimits DEFAULT = new ProxyLimits(
            16 * 1024, 100, Duration.ofSeconds(10), Duration.ofMinutes(5), 1024, Duration.ofSeconds(5), 8 << 20);

    public ProxyLimits {
        if (maxHeaderBytes < 1024 || maxHeaders < 1 || maxConnections < 1 || maxInferenceBody < 0) {
            throw new IllegalArgumentException("limits too small");
        }
        requirePositive(headerTimeout, "headerTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(connectTimeout, "connectTimeout");
    }

    public ProxyLimits withHeaderTimeout(Duration d) {
        return new ProxyLimits(
                maxHeaderBytes, maxHeaders, d, idleTimeout, maxConnections, connectTimeout, maxInferenceBody);
    }

    public ProxyLimits withIdleTimeout(Duration d) {
        return new ProxyLimits(
                maxHeaderBytes, maxHeaders, headerTimeout, d, maxConnections, connectTimeout, maxInferenceBody);
    }

    public ProxyLimits withMaxConnections(int n) {
        return new ProxyLimits(
                maxHeaderBytes, maxHeaders, headerTimeout, idleTimeout, n, connectTimeout, maxInferenceBody);
    }

    public ProxyLimits withConnectTimeout(Duration d) {
        return new ProxyLimits(
                maxHeaderBytes, maxHeaders, headerTimeout, idleTimeout, maxConnections, d, maxInferenceBody);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}

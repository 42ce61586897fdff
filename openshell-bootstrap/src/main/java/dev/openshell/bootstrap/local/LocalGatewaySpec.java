package dev.openshell.bootstrap.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run a gateway on this host: {@code java -jar <gatewayJar> --data-dir <dataDir> --port
 * <port> --bind <bind> --driver <driver>} as a background daemon.
 *
 * @param java the {@code java} executable to run it with
 * @param jvmOptions extra JVM flags (before {@code -jar})
 * @param readyTimeout how long to wait for it to answer {@code /readyz}
 * @param cacheDir where the jar is unpacked and its JDK AOT cache kept, for fast starts ({@link
 *     FastStart}); null: run the jar as it is
 */
public record LocalGatewaySpec(
        String name,
        Path dataDir,
        int port,
        String bind,
        String driver,
        Path gatewayJar,
        Path java,
        List<String> jvmOptions,
        Duration readyTimeout,
        Path cacheDir) {

    public LocalGatewaySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(gatewayJar, "gatewayJar");
        Objects.requireNonNull(java, "java");
        jvmOptions = List.copyOf(jvmOptions);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1-65535: " + port);
        }
    }
}

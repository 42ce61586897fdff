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
 * @param tlsNames names and addresses the server certificate carries besides the loopback ones and
 *     this host's names (the bind address is added when it is a specific one), so clients on other
 *     hosts can verify it
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
        Path cacheDir,
        List<String> tlsNames) {

    /** A gateway whose certificate names only the loopback addresses, this host's names and its bind address. */
    public LocalGatewaySpec(
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
        this(name, dataDir, port, bind, driver, gatewayJar, java, jvmOptions, readyTimeout, cacheDir, List.of());
    }

    public LocalGatewaySpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(gatewayJar, "gatewayJar");
        Objects.requireNonNull(java, "java");
        jvmOptions = List.copyOf(jvmOptions);
        tlsNames = List.copyOf(tlsNames);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1-65535: " + port);
        }
    }

    /** What the server certificate names besides loopback and this host's names: the bind address, then {@link #tlsNames}. */
    public List<String> certificateNames() {
        List<String> names = new java.util.ArrayList<>();
        if (!List.of("0.0.0.0", "::", "127.0.0.1", "::1", "localhost").contains(bind)) {
            names.add(bind);
        }
        tlsNames.stream().filter(n -> !names.contains(n)).forEach(names::add);
        return List.copyOf(names);
    }
}

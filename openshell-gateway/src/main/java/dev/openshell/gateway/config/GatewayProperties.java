package dev.openshell.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the gateway is configured with, under {@code openshell.gateway} (flags {@code
 * --data-dir}, {@code --port}, {@code --bind}, {@code --db-url}, {@code --driver}, or environment
 * variables such as {@code OPENSHELL_GATEWAY_DATA_DIR}).
 *
 * @param dataDir where the database, TLS material, keys and logs live
 * @param port the HTTPS port (0: any free port)
 * @param bind the address to listen on
 * @param dbUrl a JDBC URL ({@code jdbc:postgresql://...}); absent: SQLite in the data dir
 * @param driver the compute driver that runs sandboxes
 * @param tls where the TLS material is made and which extra names the server certificate carries
 * @param limits sizes, counts and times
 * @param local the local driver's sandbox host
 */
@ConfigurationProperties("openshell.gateway")
public record GatewayProperties(
        Path dataDir,
        @DefaultValue("8443") int port,
        @DefaultValue("127.0.0.1") String bind,
        String dbUrl,
        @DefaultValue("local") String driver,
        @DefaultValue Tls tls,
        @DefaultValue Limits limits,
        @DefaultValue Local local) {

    public GatewayProperties {
        if (dataDir == null) {
            throw new IllegalArgumentException("openshell.gateway.data-dir (--data-dir) is required");
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * @param dir the TLS directory; absent: {@code <data-dir>/tls}
     * @param extraNames names and addresses the server certificate carries besides localhost,
     *     127.0.0.1, ::1 and the host's names
     * @param renewWithin certificates expiring within this are issued again at start
     */
    public record Tls(
            Path dir,
            @DefaultValue List<String> extraNames,
            @DefaultValue("30d") Duration renewWithin) {}

    /**
     * @param maxRequestBytes the largest request body accepted (413 above)
     * @param defaultPageSize list page size when none is asked for
     * @param maxPageSize the largest page size accepted
     * @param execTimeout an exec's timeout when the request names none
     * @param maxExecTimeout the longest exec timeout accepted
     * @param readyTimeout how long {@code wait} on create waits for Ready
     * @param policyWaitTimeout how long {@code wait=true} on a policy write waits for the sandbox's ack
     * @param idempotencyRetention how long an {@code Idempotency-Key} is remembered
     * @param decisionsPerSandbox decisions kept per sandbox (oldest dropped)
     * @param logLinesPerSandbox log lines kept per sandbox (oldest dropped)
     * @param stopTimeout how long a stop may take before the sandbox is marked Error
     * @param maxUploadBytes the largest tar stream a file upload accepts
     */
    public record Limits(
            @DefaultValue("2097152") long maxRequestBytes,
            @DefaultValue("100") int defaultPageSize,
            @DefaultValue("1000") int maxPageSize,
            @DefaultValue("60s") Duration execTimeout,
            @DefaultValue("1h") Duration maxExecTimeout,
            @DefaultValue("120s") Duration readyTimeout,
            @DefaultValue("30s") Duration policyWaitTimeout,
            @DefaultValue("24h") Duration idempotencyRetention,
            @DefaultValue("100000") int decisionsPerSandbox,
            @DefaultValue("100000") int logLinesPerSandbox,
            @DefaultValue("60s") Duration stopTimeout,
            @DefaultValue("1073741824") long maxUploadBytes) {}

    /**
     * The local driver runs sandboxes in one sandbox-host process ({@code openshell-sandbox host}),
     * which outlives the gateway.
     *
     * @param sandboxJar the supervisor's jar ({@code openshell-sandbox.jar}); absent: the one next to
     *     the gateway's jar
     * @param javaOptions JVM options of the sandbox host
     * @param hostDir the host's directory (workspaces, control socket); absent: {@code <data-dir>/local}
     */
    public record Local(Path sandboxJar, @DefaultValue List<String> javaOptions, Path hostDir) {}

    /** The local driver's host directory in effect. */
    public Path localHostDir() {
        return local.hostDir() != null ? local.hostDir().toAbsolutePath().normalize() : dataDir.resolve("local");
    }

    /** The TLS directory in effect. */
    public Path tlsDir() {
        return tls.dir() != null ? tls.dir().toAbsolutePath().normalize() : dataDir.resolve("tls");
    }

    /** Whether the database is the default SQLite file. */
    public boolean usesSqlite() {
        return dbUrl == null || dbUrl.isBlank() || dbUrl.startsWith("jdbc:sqlite:");
    }
}

package dev.openshell.cli.context;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.net.URI;
import java.time.Instant;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A registered gateway, as {@code gateways/<name>/metadata.json} holds it. Secrets are never
 * here: the client key and API token live in their own 0600 files beside it.
 *
 * @param endpoint the gateway's base URL ({@code https://127.0.0.1:8443})
 * @param auth how the CLI authenticates
 * @param driver the compute driver, when this CLI started the gateway; absent for added ones
 * @param dataDir for a gateway this host runs ({@code openshell gateway start}): its data
 *     directory; absent for gateways added by URL or running on another host
 * @param remote for a gateway started on another host ({@code gateway start --remote}): how to
 *     reach it over SSH; absent otherwise
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayEntry(
        String name, URI endpoint, Auth auth, String driver, String dataDir, Instant createdAt, RemoteHost remote) {

    /** A gateway on this host (with {@code dataDir}) or added by URL (without). */
    public GatewayEntry(String name, URI endpoint, Auth auth, String driver, String dataDir, Instant createdAt) {
        this(name, endpoint, auth, driver, dataDir, createdAt, null);
    }

    /** How the CLI authenticates to a gateway. */
    public enum Auth {
        /** The gateway's client certificate ({@code mtls/tls.crt}, {@code mtls/tls.key}). */
        MTLS("mtls"),
        /** An API token ({@code token}). */
        TOKEN("token");

        private final String wire;

        Auth(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }

    /** Whether this host runs the gateway (it was started here, so it can be stopped here). */
    @JsonIgnore
    public boolean isLocal() {
        return dataDir != null;
    }

    /**
     * Whether this CLI started the gateway on another host, so it can stop it there over SSH. (Not
     * a bean getter: {@code isRemote} would be taken for the {@code remote} component.)
     */
    public boolean onRemoteHost() {
        return remote != null;
    }
}

package dev.openshell.api.client;

import dev.openshell.api.SafeText;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/** Configures a {@link GatewayClient}. */
public final class GatewayClientBuilder {

    final URI baseUrl;
    SSLContext sslContext;
    String bearerToken;
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration requestTimeout = Duration.ofSeconds(60);
    long maxAnswerBytes = 64L << 20;

    GatewayClientBuilder(URI baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException(
                    "the gateway URL must be https:// (or http:// on loopback): " + SafeText.quote(baseUrl.toString()));
        }
        if (baseUrl.getHost() == null) {
            throw new IllegalArgumentException("the gateway URL names no host: " + SafeText.quote(baseUrl.toString()));
        }
        if (baseUrl.getRawUserInfo() != null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("the gateway URL must not carry a user, query or fragment");
        }
        this.baseUrl = baseUrl;
    }

    /** The TLS context: the gateway's CA as trust, and for mTLS the client's certificate and key. */
    public GatewayClientBuilder sslContext(SSLContext sslContext) {
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        return this;
    }

    /** Authenticates with an API token ({@code Authorization: Bearer}). */
    public GatewayClientBuilder bearerToken(String token) {
        Objects.requireNonNull(token, "token");
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("an API token is visible ASCII without spaces");
            }
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the API token is empty");
        }
        this.bearerToken = token;
        return this;
    }

    /** How long establishing a connection (TCP and TLS) may take; default 10 s. */
    public GatewayClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout);
        return this;
    }

    /** How long a request may wait for the answer's head; default 60 s. */
    public GatewayClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive(timeout);
        return this;
    }

    /** The largest answer body read; default 64 MiB. */
    public GatewayClientBuilder maxAnswerBytes(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxAnswerBytes below 1 KiB: " + bytes);
        }
        this.maxAnswerBytes = bytes;
        return this;
    }

    /**
     * The client. A bearer token is refused over plain {@code http://} unless the gateway is on
     * loopback: anyone on the path could read it.
     */
    public GatewayClient build() {
        if (bearerToken != null && baseUrl.getScheme().equalsIgnoreCase("http") && !isLoopback(baseUrl.getHost())) {
            throw new IllegalArgumentException(
                    "refusing to send an API token over plain http to " + baseUrl.getHost() + ": use https");
        }
        return new GatewayClient(this);
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return false; // a name: not resolved here (it could resolve anywhere)
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Duration positive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("a timeout must be positive: " + d);
        }
        return d;
    }
}

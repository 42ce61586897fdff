package dev.openshell.sandbox.proxy.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Server-side TLS contexts for terminated (L7) connections, one per host, minted on first use by
 * the {@link SandboxCa} and kept in a bounded least-recently-used map. Concurrent first requests
 * for one host mint once; minting never holds the map lock. Thread-safe.
 */
public final class LeafCertificateCache {

    /** The default bound on cached hosts. */
    public static final int DEFAULT_MAX_ENTRIES = 1024;

    private static final ApplicationProtocolConfig HTTP_1_1_ONLY = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    private final SandboxCa ca;
    private final Map<String, Slot> slots;

    public LeafCertificateCache(SandboxCa ca) {
        this(ca, DEFAULT_MAX_ENTRIES);
    }

    public LeafCertificateCache(SandboxCa ca, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.ca = Objects.requireNonNull(ca, "ca");
        this.slots = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /**
     * The server context presenting a leaf for {@code host} (ALPN offers http/1.1 only).
     *
     * @throws IllegalArgumentException when {@code host} is not a valid DNS name or IP literal
     */
    public SslContext serverContext(String host) {
        String key = SandboxCa.HostName.parse(host).value();
        Slot slot;
        synchronized (slots) {
            slot = slots.computeIfAbsent(key, k -> new Slot());
        }
        return slot.get(key);
    }

    /** Hosts currently cached. */
    public int size() {
        synchronized (slots) {
            return slots.size();
        }
    }

    public SandboxCa ca() {
        return ca;
    }

    private SslContext build(String host) {
        LeafCertificate leaf = ca.mintLeaf(host);
        try {
            return SslContextBuilder.forServer(leaf.privateKey(), leaf.certificate(), leaf.issuer())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .applicationProtocolConfig(HTTP_1_1_ONLY)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context for " + host, e);
        }
    }

    /** Computes its context once; a failure is not cached, so the next request retries. */
    private final class Slot {
        private volatile SslContext context;

        SslContext get(String host) {
            SslContext c = context;
            if (c == null) {
                synchronized (this) {
                    c = context;
                    if (c == null) {
                        c = build(host);
                        context = c;
                    }
                }
            }
            return c;
        }
    }
}

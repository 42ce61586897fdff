package dev.openshell.sandbox.proxy;

import dev.openshell.sandbox.proxy.l7.TlsContexts;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the proxy's handlers share: configuration, the active policy, the decision log, the
 * tunnel registry, TLS material, and an executor for blocking work (identity lookups in
 * {@code /proc}, DNS, leaf minting) that must never run on an event loop. Internal to the proxy.
 */
public final class ProxyServices {

    private final ProxyConfig config;
    private final Transport transport;
    private final AtomicReference<ActivePolicy> policy;
    private final DecisionLogger logger;
    private final ConnectionRegistry registry;
    private final TlsContexts tls;
    private final ExecutorService blocking;

    ProxyServices(
            ProxyConfig config,
            Transport transport,
            AtomicReference<ActivePolicy> policy,
            TlsContexts tls,
            ExecutorService blocking) {
        this(
                config,
                transport,
                policy,
                new DecisionLogger(config.sandboxId(), config.sink()),
                new ConnectionRegistry(policy),
                tls,
                blocking);
    }

    private ProxyServices(
            ProxyConfig config,
            Transport transport,
            AtomicReference<ActivePolicy> policy,
            DecisionLogger logger,
            ConnectionRegistry registry,
            TlsContexts tls,
            ExecutorService blocking) {
        this.config = config;
        this.transport = transport;
        this.policy = policy;
        this.logger = logger;
        this.registry = registry;
        this.tls = tls;
        this.blocking = blocking;
    }

    /** The same services (one registry, one policy) with decisions logged under {@code mode}. */
    public ProxyServices withMode(String mode) {
        return new ProxyServices(config, transport, policy, logger.withMode(mode), registry, tls, blocking);
    }

    public ProxyConfig config() {
        return config;
    }

    public ProxyLimits limits() {
        return config.limits();
    }

    public Transport transport() {
        return transport;
    }

    /** The generation in force right now; read it once per decision. */
    public ActivePolicy policy() {
        return policy.get();
    }

    public DecisionLogger logger() {
        return logger;
    }

    public ConnectionRegistry registry() {
        return registry;
    }

    public TlsContexts tls() {
        return tls;
    }

    public ExecutorService blocking() {
        return blocking;
    }
}

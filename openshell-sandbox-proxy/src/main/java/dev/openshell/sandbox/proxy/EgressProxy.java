package dev.openshell.sandbox.proxy;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.sandbox.proxy.http.ConnectTunnel;
import dev.openshell.sandbox.proxy.http.ConnectionLimitHandler;
import dev.openshell.sandbox.proxy.http.ProxyChannelInitializer;
import dev.openshell.sandbox.proxy.l7.L7Inspector;
import dev.openshell.sandbox.proxy.shared.ActivePolicy;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import dev.openshell.sandbox.proxy.shared.Transport;
import dev.openshell.sandbox.proxy.tls.SandboxTlsContexts;
import dev.openshell.sandbox.proxy.tls.TlsContexts;
import dev.openshell.sandbox.proxy.tls.TrustBundle;
import dev.openshell.sandbox.proxy.transparent.TransparentListener;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The per-sandbox egress proxy (DESIGN.md section 4): accepts {@code CONNECT} and absolute-form
 * HTTP, identifies the calling program, checks the destination, evaluates the policy (L4, and L7
 * with TLS termination for {@code protocol: rest} endpoints), logs every decision, and relays.
 *
 * <pre>{@code
 * EgressProxy proxy = new EgressProxy(ProxyConfig.builder(id, resolver, compiled, 1).trustDir(dir).build());
 * proxy.start();
 * ReloadResult r = proxy.replacePolicy(next, 2);
 * proxy.close();
 * }</pre>
 */
public final class EgressProxy implements AutoCloseable {

    private static final long RELOAD_CLOSE_WAIT_MS = 2000;

    private final ProxyConfig config;
    private final HostAddressCheck hostAddresses;
    private final AtomicReference<ActivePolicy> active;
    private final Object reloadLock = new Object();
    private EventLoopGroup group;
    private ExecutorService blocking;
    private Channel server;
    private Channel transparentServer;
    private ProxyServices services;
    private ConnectionLimitHandler limit;
    private TrustBundle trustBundle;

    public EgressProxy(ProxyConfig config) {
        this.config = config;
        this.hostAddresses = HostAddressCheck.open(config.extraHostAddresses());
        this.active = new AtomicReference<>(new ActivePolicy(guarded(config.policy()), config.generation()));
    }

    /** The policy as this proxy enforces it: its guard also refuses every address of this host. */
    private CompiledPolicy guarded(CompiledPolicy policy) {
        return policy.withHostAddresses(hostAddresses);
    }

    /** Binds the listening socket; returns once the proxy accepts connections. */
    public synchronized EgressProxy start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        Transport transport = Transport.detect();
        blocking = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("openshell-proxy-blocking-", 0).factory());
        TlsContexts tls;
        if (config.tls() != null) {
            tls = config.tls();
        } else {
            SandboxTlsContexts own = SandboxTlsContexts.create(
                    config.sandboxId(), config.trustDir(), config.hostCaDir(), config.extraUpstreamCa());
            trustBundle = own.bundle();
            tls = own;
        }
        services = new ProxyServices(
                new ProxyServices.Settings(
                        config.sandboxId(),
                        config.callerResolver(),
                        config.hostResolver(),
                        config.inference(),
                        config.limits(),
                        config.sink(),
                        config.sandboxName()),
                transport,
                active,
                tls,
                blocking);
        limit = new ConnectionLimitHandler(
                config.limits().maxConnections(),
                services.logger(),
                () -> active.get().generation());
        ConnectTunnel tunnels = new ConnectTunnel(services, new L7Inspector(services));
        group = transport.newGroup(config.ioThreads());
        try {
            server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    // TCP_NODELAY is the transport's default for accepted sockets (TransportTest)
                    .childOption(ChannelOption.AUTO_READ, false)
                    .childHandler(new ProxyChannelInitializer(services, limit, tunnels))
                    .bind(config.bind())
                    .sync()
                    .channel();
            if (config.transparentBind() != null) {
                transparentServer = TransparentListener.bind(group, services, limit, config.transparentBind());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while binding", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * The sandbox CA and combined trust bundle written to {@link ProxyConfig#trustDir()} (point
     * {@code SSL_CERT_FILE}, {@code CURL_CA_BUNDLE}, {@code REQUESTS_CA_BUNDLE} at {@code bundlePem});
     * {@code null} when the TLS material was injected.
     */
    public TrustBundle trustBundle() {
        return trustBundle;
    }

    /** The port the proxy listens on (useful when bound to port 0). */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Where captured connections arrive, or {@code null} without {@link ProxyConfig#transparentBind()}. */
    public InetSocketAddress transparentAddress() {
        return transparentServer == null ? null : (InetSocketAddress) transparentServer.localAddress();
    }

    /** The policy and generation in force. */
    public ActivePolicy activePolicy() {
        return active.get();
    }

    /** The policy generation in force. */
    public long activeGeneration() {
        return active.get().generation();
    }

    /** Client connections open right now. */
    public int openConnections() {
        return limit == null ? 0 : limit.open();
    }

    /** Which socket transport is in use ({@code epoll} or {@code nio}). */
    public String transport() {
        return services == null ? null : services.transport().name();
    }

    /**
     * Validates, compiles and activates the network policies of {@code policy}; see {@link
     * #replacePolicy(CompiledPolicy, long)}. An invalid policy is reported as failed and changes
     * nothing.
     */
    public ReloadResult replacePolicy(Policy policy, long generation, PolicyEngine.Options options) {
        CompiledPolicy compiled;
        try {
            PolicyParser.validate(policy);
            compiled = PolicyEngine.compile(policy, options);
        } catch (PolicyException e) {
            return ReloadResult.failed(generation, active.get().generation(), e.getMessage());
        }
        return replacePolicy(compiled, generation);
    }

    /**
     * Swaps in a new policy generation atomically. Requests already admitted finish under the
     * generation that admitted them; new decisions use the new one. Tunnels the new generation no
     * longer admits are closed (an inspected tunnel after its request in flight) before this returns.
     * A generation that is not newer than the active one is rejected and changes nothing.
     */
    public ReloadResult replacePolicy(CompiledPolicy policy, long generation) {
        synchronized (reloadLock) {
            ActivePolicy current = active.get();
            if (policy == null) {
                return ReloadResult.failed(generation, current.generation(), "no policy given");
            }
            if (generation <= current.generation()) {
                return ReloadResult.failed(
                        generation,
                        current.generation(),
                        "generation " + generation + " is not newer than the active generation "
                                + current.generation());
            }
            ActivePolicy next = new ActivePolicy(guarded(policy), generation);
            active.set(next);
            if (services == null) {
                return ReloadResult.loaded(generation, 0);
            }
            List<CompletableFuture<Void>> closing = services.registry().revokeNotAdmitted(next);
            try {
                CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                        .get(RELOAD_CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
                // The swap is done; a connection slow to close does not undo it.
            }
            return ReloadResult.loaded(generation, closing.size());
        }
    }

    /** Stops accepting, closes every connection, and releases threads and the caller resolver. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        if (transparentServer != null) {
            transparentServer.close().awaitUninterruptibly();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            group = null;
        }
        if (blocking != null) {
            blocking.shutdownNow();
            blocking = null;
        }
        // the proxy owns the resolver it was configured with (netlink socket, procfs descriptors)
        config.callerResolver().close();
        hostAddresses.close();
    }
}

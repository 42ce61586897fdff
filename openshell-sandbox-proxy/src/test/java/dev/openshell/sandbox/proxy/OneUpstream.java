package dev.openshell.sandbox.proxy;

import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A plain upstream socket on a loopback alias (the proxy refuses loopback itself) and a proxy
 * configuration that lets {@code /usr/bin/curl} (the fixed caller) reach it under the given names.
 * Needs root for the alias; without it the calling test is skipped with the reason. Closing stops
 * the proxy started through it, then removes the socket and the alias.
 */
final class OneUpstream implements AutoCloseable {

    private final LoopbackAliases aliases = new LoopbackAliases();
    private final String ip;
    private final ServerSocket socket;
    private EgressProxy proxy;

    OneUpstream(String ip) throws IOException {
        this.ip = aliases.add(ip);
        socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
    }

    ServerSocket socket() {
        return socket;
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Every name resolves to the upstream; trust material goes to {@code trustDir}. */
    ProxyConfig.Builder proxyConfig(String sandboxId, Path trustDir, String... hosts) {
        String endpoints = Stream.of(hosts)
                .map(h -> "      - {host: " + h + ", port: " + port() + ", allowed_ips: [" + ip + "/32]}")
                .collect(Collectors.joining("\n"));
        return ProxyConfig.builder(
                        sandboxId,
                        (client, local) -> new CallerIdentity(4242, "/usr/bin/curl", List.of(), ""),
                        TestPolicies.compile("version: 1\nnetwork_policies:\n  upstream:\n    endpoints:\n" + endpoints
                                + "\n    binaries: [{path: /usr/bin/curl}]\n"),
                        1)
                .trustDir(trustDir)
                .hostResolver(host -> List.of(InetAddress.getByName(ip)));
    }

    /** Starts a proxy from {@code config}; {@link #close} stops it first. */
    EgressProxy start(ProxyConfig.Builder config) {
        proxy = new EgressProxy(config.build()).start();
        return proxy;
    }

    @Override
    public void close() throws IOException {
        try {
            if (proxy != null) {
                proxy.close();
            }
            socket.close();
        } finally {
            aliases.close();
        }
    }
}

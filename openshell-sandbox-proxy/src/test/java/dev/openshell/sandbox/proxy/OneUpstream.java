package dev.openshell.sandbox.proxy;

import dev.openshell.sandbox.net.FakeInternet;
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
 * A plain upstream socket in a {@link FakeInternet} and a proxy configuration that lets {@code
 * /usr/bin/curl} (the fixed caller) reach it under the given names. Needs root; without it the
 * calling test is skipped with the reason. Closing stops the proxy started through it, then removes
 * the socket and the fake internet.
 */
final class OneUpstream implements AutoCloseable {

    private final FakeInternet internet = FakeInternet.open();
    private final String ip;
    private final ServerSocket socket;
    private EgressProxy proxy;

    OneUpstream(String ip) throws IOException {
        this.ip = internet.address(ip);
        socket = internet.inside(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(InetAddress.getByName(ip), 0));
            return s;
        });
    }

    ServerSocket socket() {
        return socket;
    }

    /** The fake internet's namespace, where the upstream's end of every connection lives. */
    String namespace() {
        return internet.namespace();
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
            internet.close();
        }
    }
}

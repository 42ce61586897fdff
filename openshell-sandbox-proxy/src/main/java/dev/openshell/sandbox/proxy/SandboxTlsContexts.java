package dev.openshell.sandbox.proxy;

import dev.openshell.sandbox.proxy.l7.TlsContexts;

/** Builds the default TLS material from {@link ProxyConfig#trustDir()} (sandbox CA, leaf cache, upstream trust). */
final class SandboxTlsContexts {

    private SandboxTlsContexts() {}

    static TlsContexts create(ProxyConfig config) {
        throw new IllegalStateException("pending merge of the tls package");
    }
}

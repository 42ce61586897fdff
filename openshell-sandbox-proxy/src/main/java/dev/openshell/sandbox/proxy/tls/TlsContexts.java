package dev.openshell.sandbox.proxy.tls;

import io.netty.handler.ssl.SslContext;

/** The TLS material the L7 path needs: a server context per intercepted host, one client context upstream. */
public interface TlsContexts {

    /**
     * A server context presenting a leaf certificate for {@code host}, signed by the sandbox CA.
     * May be slow the first time for a host (key generation); the proxy calls it off the event loop.
     */
    SslContext serverFor(String host);

    /** A client context verifying upstream servers against the system trust store plus any extra CA. */
    SslContext upstream();
}

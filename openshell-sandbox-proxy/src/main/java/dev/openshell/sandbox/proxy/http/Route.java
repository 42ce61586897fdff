package dev.openshell.sandbox.proxy.http;

import dev.openshell.sandbox.proxy.admission.Destination;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetAddress;
import java.util.List;

/** Where one HTTP request goes, as decided by an {@link ExchangeRouter}. */
public sealed interface Route {

    /**
     * Send the (rewritten) request upstream.
     *
     * @param key identifies a reusable upstream connection: same key, same destination
     * @param addresses the checked addresses; the connection goes to one of these only
     * @param tlsHost the server name to verify over TLS, or {@code null} for plaintext
     * @param upgrade the protocol switch the request validly asked for ({@link
     *     ProtocolSwitch.WebSocket}) or none; a {@code 101} is relayed only when it accepts it
     * @param connected the address of the kept-alive connection for {@code key} that the decision
     *     took as checked (the guard did not ask about it again), or {@code null}: when set, the
     *     request may go out on that very connection only, never on a new one
     */
    record Upstream(
            String key,
            List<InetAddress> addresses,
            int port,
            String tlsHost,
            HttpRequest request,
            ProtocolSwitch.Decision upgrade,
            InetAddress connected)
            implements Route {}

    /**
     * Answer directly (a denial or an error) without contacting anyone.
     *
     * @param close close the connection after answering even if the client wants keep-alive
     */
    record Respond(FullHttpResponse response, boolean close) implements Route {}

    /** Turn the connection into a tunnel (a {@code CONNECT} request). */
    record Tunnel(Destination destination) implements Route {}

    /** Hand the request to the inference handler. */
    record Inference(CallerIdentity caller) implements Route {}
}

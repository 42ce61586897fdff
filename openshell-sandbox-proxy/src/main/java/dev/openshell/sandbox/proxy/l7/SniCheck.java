package dev.openshell.sandbox.proxy.l7;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.Layer;
import dev.openshell.sandbox.proxy.admission.Admission;
import dev.openshell.sandbox.proxy.admission.Destination;
import dev.openshell.sandbox.proxy.http.Refusals;
import dev.openshell.sandbox.proxy.http.RejectedRequest;
import dev.openshell.sandbox.proxy.shared.ProxyServices;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;

/**
 * Once the client's TLS handshake inside an inspected tunnel completes: a server name (SNI) the
 * client sent must be the tunnel's checked host, else the connection is closed. The proxy
 * connects upstream with the checked name whatever the client said, so this is not what routes
 * the request (the {@code Host} check is); it refuses a client that addresses one host through a
 * tunnel opened for another, as domain fronting does. No SNI (an IP literal) is fine.
 */
final class SniCheck extends ChannelInboundHandlerAdapter {

    private final ProxyServices services;
    private final Admission.Result admitted;

    SniCheck(ProxyServices services, Admission.Result admitted) {
        this.services = services;
        this.admitted = admitted;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            ctx.pipeline().remove(this);
            String sni = done.isSuccess() ? requestedName(ctx) : null;
            if (sni != null && !sameHost(sni)) {
                RejectedRequest why = new RejectedRequest(
                        ErrorCode.SNI_MISMATCH,
                        "TLS server name " + sni + " is not "
                                + admitted.request().host() + ", the host this tunnel was checked for");
                Refusals.log(
                        services,
                        admitted.caller(),
                        admitted.request().host(),
                        admitted.request().port(),
                        null,
                        why,
                        Layer.L7,
                        System.nanoTime());
                ctx.close();
                return;
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    private boolean sameHost(String sni) {
        try {
            return Destination.of(sni, 1).host().equals(admitted.request().host());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String requestedName(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        SSLSession session = tls == null ? null : tls.engine().getSession();
        if (!(session instanceof ExtendedSSLSession extended)) {
            return null;
        }
        List<SNIServerName> names = extended.getRequestedServerNames();
        for (SNIServerName name : names) {
            if (name instanceof SNIHostName host) {
                return host.getAsciiName();
            }
        }
        return null;
    }
}

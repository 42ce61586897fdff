package dev.openshell.sandbox.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.shared.ProxyLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bound on tunnel bytes a client may send behind a {@code CONNECT} while it is decided. */
class GuardedRequestDecoderTest {

    private static final int BOUND = GuardedRequestDecoder.MAX_EARLY_TUNNEL_BYTES;

    private final GuardedRequestDecoder decoder = new GuardedRequestDecoder(ProxyLimits.DEFAULT);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    /** Sends a CONNECT, takes the decoded request, and lets the channel read ahead as the tunnel does. */
    private ChannelHandlerContext connectAndDecide() {
        channel.writeInbound(ascii("CONNECT api.test:443 HTTP/1.1\r\nHost: api.test:443\r\n\r\n"));
        HttpRequest connect = channel.readInbound();
        assertThat(connect.method()).isEqualTo(HttpMethod.CONNECT);
        ReferenceCountUtil.release(channel.readInbound()); // the empty last content
        ChannelHandlerContext ctx = channel.pipeline().context(decoder);
        decoder.readAheadWhileDeciding(ctx);
        return ctx;
    }

    @Test
    void bytesBehindAConnectWaitUndecodedAndReadingGoesOnBelowTheBound() {
        connectAndDecide();

        channel.writeInbound(Unpooled.wrappedBuffer(random(BOUND - 1)));

        assertThat((Object) channel.readInbound())
                .as("nothing decoded from tunnel bytes")
                .isNull();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void readingStopsOncePastTheBoundAndStaysOffWhileTheTunnelIsDecided() {
        ChannelHandlerContext ctx = connectAndDecide();

        channel.writeInbound(Unpooled.wrappedBuffer(random(BOUND)));
        assertThat(channel.config().isAutoRead()).as("at the bound").isTrue();
        channel.writeInbound(Unpooled.wrappedBuffer(random(1)));

        assertThat(channel.config().isAutoRead()).as("one byte past the bound").isFalse();
        decoder.readAheadWhileDeciding(ctx);
        assertThat(channel.config().isAutoRead()).isFalse();
    }

    @Test
    void heldBytesReachTheNextProtocolIntactWhenTheDecoderIsRemoved() {
        connectAndDecide();
        byte[] early = random(BOUND + 4096);
        channel.writeInbound(Unpooled.wrappedBuffer(early, 0, 1000));
        channel.writeInbound(Unpooled.wrappedBuffer(early, 1000, early.length - 1000));

        ConnectTunnel.removeDecoder(channel.pipeline());

        ByteBuf all = Unpooled.buffer();
        for (Object o; (o = channel.readInbound()) != null; ) {
            all.writeBytes((ByteBuf) o);
            ReferenceCountUtil.release(o);
        }
        assertThat(ByteBufUtil.getBytes(all)).isEqualTo(early);
        all.release();
    }
}

package dev.openshell.sandbox.proxy.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransportTest {

    private final Transport transport = Transport.detect();

    @Test
    void upstreamSocketsHaveNagleOffAndTheDestinationsFamily() throws Exception {
        EventLoopGroup group = transport.newGroup(1);
        try {
            for (String ip : new String[] {"10.1.2.3", "2001:db8::1"}) {
                Channel ch = transport.newSocketChannel(InetAddress.getByName(ip));
                group.next().register(ch).sync();
                // without TCP_NODELAY a small write waits for the peer's delayed ACK (~40 ms)
                assertThat(ch.config().getOption(ChannelOption.TCP_NODELAY))
                        .as(ip)
                        .isTrue();
                ch.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void acceptedSocketsHaveNagleOff() throws Exception {
        EventLoopGroup group = transport.newGroup(1);
        try {
            Channel[] accepted = new Channel[1];
            CountDownLatch latch = new CountDownLatch(1);
            ServerChannel server = (ServerChannel) new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            accepted[0] = ctx.channel();
                            latch.countDown();
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0)
                    .sync()
                    .channel();
            try (Socket client = new Socket(
                    InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.localAddress()).getPort())) {
                assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(accepted[0].config().getOption(ChannelOption.TCP_NODELAY))
                        .isTrue();
            } finally {
                server.close().sync();
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }
}

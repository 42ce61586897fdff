package dev.openshell.sandbox.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The proxy's upstream TLS client against a real TLS server whose CA only the test knows. */
class UpstreamTrustTest {

    private static final SandboxCa UPSTREAM_CA = SandboxCa.generate("upstream-test");
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void anUpstreamSignedByTheExtraCaIsTrusted(@TempDir Path dir) throws Exception {
        Path extra = new TrustBundleWriter().write(dir, UPSTREAM_CA).caPem();
        try (TlsTestServer server =
                new TlsTestServer(new LeafCertificateCache(UPSTREAM_CA).serverContext("localhost"))) {
            Future<Channel> handshake = handshake(UpstreamTrust.clientContext(extra), "localhost", server.port());
            assertThat(handshake.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(handshake.cause()).isNull();
            handshake.getNow().close();
        }
    }

    @Test
    void withoutTheExtraCaTheUpstreamIsRejected() throws Exception {
        try (TlsTestServer server =
                new TlsTestServer(new LeafCertificateCache(UPSTREAM_CA).serverContext("localhost"))) {
            Future<Channel> handshake = handshake(UpstreamTrust.clientContext(), "localhost", server.port());
            assertThat(handshake.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(handshake.cause()).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void theUpstreamHostNameIsVerified(@TempDir Path dir) throws Exception {
        Path extra = new TrustBundleWriter().write(dir, UPSTREAM_CA).caPem();
        try (TlsTestServer server =
                new TlsTestServer(new LeafCertificateCache(UPSTREAM_CA).serverContext("other.example"))) {
            Future<Channel> handshake = handshake(UpstreamTrust.clientContext(extra), "localhost", server.port());
            assertThat(handshake.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(handshake.cause()).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void theSystemTrustIsIncluded() throws Exception {
        var issuers = UpstreamTrust.trustManagerFactory(null).getTrustManagers();
        assertThat(((javax.net.ssl.X509TrustManager) issuers[0]).getAcceptedIssuers())
                .hasSizeGreaterThanOrEqualTo(JdkTrustStore.certificates().size());
    }

    private static Future<Channel> handshake(SslContext context, String host, int port) throws InterruptedException {
        SslHandler[] ssl = new SslHandler[1];
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ssl[0] = context.newHandler(ch.alloc(), host, port);
                        ch.pipeline().addLast(ssl[0], new io.netty.channel.ChannelInboundHandlerAdapter() {
                            @Override
                            public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // the handshake future carries the failure
                            }
                        });
                    }
                })
                .connect(InetAddress.getLoopbackAddress(), port)
                .sync();
        return ssl[0].handshakeFuture();
    }
}

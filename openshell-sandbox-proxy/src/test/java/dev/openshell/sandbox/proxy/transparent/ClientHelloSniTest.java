package dev.openshell.sandbox.proxy.transparent;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** Real ClientHellos from the JDK's TLS client, whole, cut short, split into records, and damaged. */
class ClientHelloSniTest {

    @Test
    void readsTheServerNameOfARealClientHello() throws Exception {
        ByteBuf hello = Unpooled.wrappedBuffer(clientHello("api.example.com"));

        assertThat(ClientHelloSni.examine(hello)).isEqualTo(new ClientHelloSni.Named("api.example.com"));
        assertThat(hello.readerIndex()).as("nothing consumed").isZero();
    }

    @Test
    void aClientHelloWithoutServerNameIsUnnamed() throws Exception {
        assertThat(ClientHelloSni.examine(Unpooled.wrappedBuffer(clientHello(null))))
                .isInstanceOf(ClientHelloSni.Unnamed.class);
    }

    @Test
    void everyPrefixIsIncomplete() throws Exception {
        byte[] hello = clientHello("api.example.com");
        for (int n = 0; n < hello.length; n++) {
            assertThat(ClientHelloSni.examine(Unpooled.wrappedBuffer(hello, 0, n)))
                    .as("first %d of %d bytes", n, hello.length)
                    .isInstanceOf(ClientHelloSni.Incomplete.class);
        }
    }

    @Test
    void aClientHelloSplitAcrossRecordsIsReassembled() throws Exception {
        byte[] hello = clientHello("split.example.com");
        int body = hello.length - 5;
        int cut = 40;
        ByteBuf records = Unpooled.buffer();
        records.writeBytes(new byte[] {0x16, 0x03, 0x01}).writeShort(cut).writeBytes(hello, 5, cut);
        records.writeBytes(new byte[] {0x16, 0x03, 0x01}).writeShort(body - cut).writeBytes(hello, 5 + cut, body - cut);

        assertThat(ClientHelloSni.examine(records)).isEqualTo(new ClientHelloSni.Named("split.example.com"));
    }

    @Test
    void damagedInputIsMalformedNotACrash() throws Exception {
        byte[] hello = clientHello("api.example.com");
        byte[] notHandshake = hello.clone();
        notHandshake[5] = 2; // a ServerHello
        assertThat(ClientHelloSni.examine(Unpooled.wrappedBuffer(notHandshake)))
                .isInstanceOf(ClientHelloSni.Malformed.class);

        // Every single-byte corruption of the body: a result, never an exception.
        for (int i = 9; i < hello.length; i++) {
            byte[] bad = hello.clone();
            bad[i] = (byte) 0xff;
            assertThat(ClientHelloSni.examine(Unpooled.wrappedBuffer(bad))).isNotNull();
        }
    }

    @Test
    void oversizedClientHelloIsRefused() {
        ByteBuf huge = Unpooled.buffer();
        huge.writeBytes(new byte[] {0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x01, 0x00, 0x00});

        assertThat(ClientHelloSni.examine(huge)).isInstanceOf(ClientHelloSni.Malformed.class);
    }

    /** The first flight of a JDK TLS client, with {@code sni} as server name (none when null). */
    static byte[] clientHello(String sni) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }
}

package dev.openshell.sandbox.proxy.transparent;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the server name (SNI, RFC 6066) from the TLS ClientHello at the start of a buffer without
 * consuming anything. The ClientHello may span several handshake records; it is reassembled up to
 * {@link #MAX_CLIENT_HELLO} bytes. Written here rather than borrowed from Netty's {@code
 * SniHandler} because the capture needs three outcomes Netty folds together: not complete yet, no
 * server name, and malformed.
 */
final class ClientHelloSni {

    /** Largest ClientHello accepted; real ones (post-quantum key shares included) stay under 4 KiB. */
    static final int MAX_CLIENT_HELLO = 32 * 1024;

    static final byte HANDSHAKE_RECORD = 0x16;
    private static final int RECORD_HEADER = 5;
    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_NAME_EXTENSION = 0;
    private static final int HOST_NAME = 0;

    /** What the buffer says so far. */
    sealed interface Result {}

    /** More bytes are needed. */
    record Incomplete() implements Result {}

    /** A complete ClientHello naming {@code name} (as sent; validated by the caller). */
    record Named(String name) implements Result {}

    /** A complete ClientHello without a server name. */
    record Unnamed() implements Result {}

    /** Not a well-formed ClientHello. */
    record Malformed(String why) implements Result {}

    private static final Incomplete INCOMPLETE = new Incomplete();

    private ClientHelloSni() {}

    /** Examines the bytes readable in {@code in}, which start with a TLS record header. */
    static Result examine(ByteBuf in) {
        byte[] hello = handshakeMessage(in);
        if (hello == null) {
            return in.readableBytes() > MAX_CLIENT_HELLO + 64 * RECORD_HEADER
                    ? new Malformed("ClientHello larger than " + MAX_CLIENT_HELLO + " bytes")
                    : INCOMPLETE;
        }
        if (hello.length == 0) {
            return new Malformed("not a TLS ClientHello, or one larger than " + MAX_CLIENT_HELLO + " bytes");
        }
        try {
            return parse(hello);
        } catch (IndexOutOfBoundsException e) {
            return new Malformed("truncated ClientHello");
        }
    }

    /**
     * Concatenates handshake record payloads until the first handshake message is complete; null
     * when more bytes are needed, an empty array when the records are not a handshake.
     */
    private static byte[] handshakeMessage(ByteBuf in) {
        int at = in.readerIndex();
        int end = in.writerIndex();
        byte[] message = null;
        int filled = 0;
        while (at + RECORD_HEADER <= end) {
            if (in.getByte(at) != HANDSHAKE_RECORD || in.getByte(at + 1) != 3) {
                return new byte[0];
            }
            int length = in.getUnsignedShort(at + 3);
            if (length == 0 || length > 16384 + 2048) {
                return new byte[0];
            }
            int payload = at + RECORD_HEADER;
            if (message == null) {
                // Judge the handshake header as soon as it is here, before its record is complete.
                if (length < 4) {
                    return new byte[0];
                }
                if (payload + 4 > end) {
                    return null;
                }
                int messageLength = in.getUnsignedMedium(payload + 1) + 4;
                if (in.getByte(payload) != CLIENT_HELLO || messageLength > MAX_CLIENT_HELLO) {
                    return new byte[0];
                }
                message = new byte[messageLength];
            }
            if (payload + length > end) {
                return null;
            }
            int take = Math.min(length, message.length - filled);
            in.getBytes(payload, message, filled, take);
            filled += take;
            if (filled == message.length) {
                return message;
            }
            at = payload + length;
        }
        return null;
    }

    private static Result parse(byte[] m) {
        int p = 4; // handshake type and length
        p += 2 + 32; // client_version, random
        p += 1 + u8(m, p); // session_id
        p += 2 + u16(m, p); // cipher_suites
        p += 1 + u8(m, p); // compression_methods
        if (p == m.length) {
            return new Unnamed(); // no extensions at all
        }
        int extensionsEnd = p + 2 + u16(m, p);
        p += 2;
        if (extensionsEnd > m.length) {
            return new Malformed("extensions overrun the ClientHello");
        }
        while (p + 4 <= extensionsEnd) {
            int type = u16(m, p);
            int length = u16(m, p + 2);
            p += 4;
            if (p + length > extensionsEnd) {
                return new Malformed("an extension overruns the ClientHello");
            }
            if (type == SERVER_NAME_EXTENSION) {
                return serverName(m, p, p + length);
            }
            p += length;
        }
        return new Unnamed();
    }

    private static Result serverName(byte[] m, int p, int end) {
        int listEnd = p + 2 + u16(m, p);
        p += 2;
        if (listEnd > end) {
            return new Malformed("server_name list overruns its extension");
        }
        while (p + 3 <= listEnd) {
            int type = u8(m, p);
            int length = u16(m, p + 1);
            p += 3;
            if (p + length > listEnd) {
                return new Malformed("server name overruns its list");
            }
            if (type == HOST_NAME) {
                if (length == 0) {
                    return new Malformed("empty server name");
                }
                return new Named(new String(m, p, length, StandardCharsets.US_ASCII));
            }
            p += length;
        }
        return new Unnamed();
    }

    private static int u8(byte[] m, int at) {
        return m[at] & 0xff;
    }

    private static int u16(byte[] m, int at) {
        return (m[at] & 0xff) << 8 | (m[at + 1] & 0xff);
    }
}

package dev.openshell.sandbox.proxy.dns;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One standard DNS query (RFC 1035) as the sandbox's responder sees it, and the answers it sends.
 * Parsing is strict and bounded: anything but a single question whose name is written out in full
 * (no compression pointers, so no loops), with labels of at most 63 bytes and a name of at most 255,
 * is malformed and dropped. Additional records (an EDNS OPT) are ignored; answers never carry one,
 * so they stay within the classic 512 bytes.
 *
 * @param id the query's id, echoed
 * @param flags the query's header flags (opcode and RD are echoed)
 * @param question the question section as received (name, type, class), echoed
 * @param name the queried name, lower case, without the trailing dot ("" for the root)
 * @param type the query type
 * @param qclass the query class
 */
public record DnsQuery(int id, int flags, byte[] question, String name, int type, int qclass) {

    /** The largest datagram accepted or sent. */
    public static final int MAX_PACKET = 512;

    public static final int TYPE_A = 1;
    public static final int TYPE_AAAA = 28;
    public static final int CLASS_IN = 1;
    public static final int NOERROR = 0;
    public static final int NXDOMAIN = 3;
    public static final int NOTIMP = 4;
    public static final int SERVFAIL = 2;
    public static final int REFUSED = 5;

    static final int HEADER = 12;
    private static final int MAX_NAME = 255;
    private static final int MAX_LABEL = 63;
    private static final int QR = 0x8000;
    private static final int OPCODE = 0x7800;
    private static final int RD = 0x0100;
    private static final int RA = 0x0080;

    /** Parses {@code packet}; empty when it is not a well-formed single-question query. */
    public static Optional<DnsQuery> parse(ByteBuffer packet) {
        ByteBuffer in = packet.slice();
        if (in.remaining() < HEADER || in.remaining() > MAX_PACKET) {
            return Optional.empty();
        }
        int id = Short.toUnsignedInt(in.getShort());
        int flags = Short.toUnsignedInt(in.getShort());
        int questions = Short.toUnsignedInt(in.getShort());
        int answers = Short.toUnsignedInt(in.getShort());
        int authorities = Short.toUnsignedInt(in.getShort());
        in.getShort(); // additional records: ignored
        if ((flags & QR) != 0 || questions != 1 || answers != 0 || authorities != 0) {
            return Optional.empty();
        }
        int start = in.position();
        StringBuilder name = new StringBuilder();
        int nameLength = 1;
        while (true) {
            if (!in.hasRemaining()) {
                return Optional.empty();
            }
            int length = Byte.toUnsignedInt(in.get());
            if (length == 0) {
                break;
            }
            // 0xC0 is a compression pointer, 0x40/0x80 are reserved: none belong in a question.
            if (length > MAX_LABEL || length > in.remaining()) {
                return Optional.empty();
            }
            nameLength += length + 1;
            if (nameLength > MAX_NAME) {
                return Optional.empty();
            }
            byte[] label = new byte[length];
            in.get(label);
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(label, StandardCharsets.ISO_8859_1));
        }
        if (in.remaining() < 4) {
            return Optional.empty();
        }
        int type = Short.toUnsignedInt(in.getShort());
        int qclass = Short.toUnsignedInt(in.getShort());
        byte[] question = new byte[in.position() - start];
        in.get(start, question);
        return Optional.of(new DnsQuery(id, flags, question, name.toString().toLowerCase(Locale.ROOT), type, qclass));
    }

    /** Whether this is a standard query (opcode 0); others are answered NOTIMP. */
    public boolean isStandardQuery() {
        return (flags & OPCODE) == 0;
    }

    /**
     * Whether the name is one the responder looks up: LDH labels (underscore allowed), at least
     * one dot. Anything else is NXDOMAIN without asking the resolver.
     */
    public boolean hasHostName() {
        if (name.isEmpty() || name.indexOf('.') < 0) {
            return false;
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A response with {@code rcode} and no records. */
    public byte[] response(int rcode) {
        return answer(rcode, List.of(), 0);
    }

    /**
     * A NOERROR response with one A record per address (as many as fit in {@link #MAX_PACKET}),
     * each valid for {@code ttlSeconds}.
     */
    public byte[] answer(List<Inet4Address> addresses, int ttlSeconds) {
        return answer(NOERROR, addresses, ttlSeconds);
    }

    private byte[] answer(int rcode, List<Inet4Address> addresses, int ttlSeconds) {
        int fit = Math.min(addresses.size(), (MAX_PACKET - HEADER - question.length) / 16);
        ByteBuffer out = ByteBuffer.allocate(HEADER + question.length + 16 * fit);
        out.putShort((short) id);
        out.putShort((short) (QR | (flags & (OPCODE | RD)) | RA | (rcode & 0xF)));
        out.putShort((short) 1);
        out.putShort((short) fit);
        out.putShort((short) 0);
        out.putShort((short) 0);
        out.put(question);
        for (int i = 0; i < fit; i++) {
            out.putShort((short) (0xC000 | HEADER)); // the name: a pointer to the question's
            out.putShort((short) TYPE_A);
            out.putShort((short) CLASS_IN);
            out.putInt(ttlSeconds);
            out.putShort((short) 4);
            out.put(addresses.get(i).getAddress());
        }
        return out.array();
    }
}

package dev.openshell.sandbox.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.ProxyLimits;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated chunked bodies through the real {@link GuardedRequestDecoder}, in random
 * fragments, judged against a small reference parser of the strict grammar written independently
 * of {@link ChunkedBodyScan}: a body the reference accepts is decoded to exactly its data and ends
 * exactly where it ends (the request behind it is decoded on its own); a body it refuses is
 * refused before the request completes, and nothing after it is decoded; an incomplete one waits.
 */
class ChunkedBodyFuzzTest {

    private static final String HEAD = "POST /f HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: a.test\r\n\r\n";
    private static final byte[] ALPHABET =
            "0123456789abcdefABCDEFxX+- \t;=\"\\\r\n:,aZ\0\u007f\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void randomAndMutatedBodiesAreReadExactlyAsFramedOrRefused() {
        Random random = new Random(20261201);
        int[] seen = new int[3];
        for (int i = 0; i < 20_000; i++) {
            byte[] body = switch (i % 4) {
                case 0 -> randomBytes(random);
                case 1 -> validBody(random);
                default -> mutate(random, validBody(random));
            };
            seen[check(body, random)]++;
        }
        // the generator must exercise all three outcomes substantially
        String counts = "accepted " + seen[0] + ", refused " + seen[1] + ", incomplete " + seen[2];
        assertThat(seen[0]).as(counts).isGreaterThan(3000);
        assertThat(seen[1]).as(counts).isGreaterThan(3000);
        assertThat(seen[2]).as(counts).isGreaterThan(50);
    }

    /** Returns 0 for accepted, 1 for refused, 2 for incomplete. */
    private static int check(byte[] body, Random random) {
        byte[] stream = concat(body, NEXT.getBytes(StandardCharsets.ISO_8859_1));
        Reference ref = Reference.parse(stream);
        Decoded d = decode(concat(HEAD.getBytes(StandardCharsets.ISO_8859_1), stream), random);
        String what = "body " + printable(body) + " (reference: " + ref + ")";
        switch (ref.outcome) {
            case ACCEPTED -> {
                assertThat(d.rejected).as(what).isNull();
                assertThat(d.completed).as(what).isTrue();
                assertThat(d.data.toByteArray()).as(what).isEqualTo(ref.data);
                if (ref.end == body.length) {
                    assertThat(d.after).as(what).containsExactly("/next");
                }
                return 0;
            }
            case REFUSED -> {
                assertThat(d.rejected).as(what).isNotNull();
                assertThat(d.completed).as(what + ": completed before refusal").isFalse();
                assertThat(d.after).as(what + ": decoded after refusal").isEmpty();
                return 1;
            }
            default -> {
                assertThat(d.rejected).as(what).isNull();
                assertThat(d.completed).as(what).isFalse();
                return 2;
            }
        }
    }

    /** What the decoder made of one input. */
    private static final class Decoded {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        boolean completed;
        RejectedRequest rejected;
        final List<String> after = new ArrayList<>();
    }

    private static Decoded decode(byte[] input, Random random) {
        EmbeddedChannel channel = new EmbeddedChannel(new GuardedRequestDecoder(ProxyLimits.DEFAULT));
        Decoded d = new Decoded();
        int requests = 0;
        try {
            for (int at = 0; at < input.length && channel.isOpen(); ) {
                int n = Math.min(input.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 200));
                channel.writeInbound(Unpooled.wrappedBuffer(input, at, n));
                at += n;
                for (Object o; (o = channel.readInbound()) != null; ) {
                    try {
                        if (o instanceof RejectedRequest r) {
                            if (d.rejected == null) {
                                d.rejected = r;
                            }
                        } else if (o instanceof HttpRequest r) {
                            if (++requests > 1) {
                                d.after.add(r.uri());
                            }
                        }
                        if (requests == 1 && !d.completed && o instanceof HttpContent c) {
                            d.data.writeBytes(ByteBufUtil.getBytes(c.content()));
                            if (o instanceof LastHttpContent) {
                                d.completed = true;
                            }
                        }
                    } finally {
                        ReferenceCountUtil.release(o);
                    }
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return d;
    }

    /** A well-framed body: chunks with optional extensions, a last chunk, optional trailers. */
    private static byte[] validBody(Random r) {
        StringBuilder sb = new StringBuilder();
        int chunks = r.nextInt(4);
        for (int i = 0; i < chunks; i++) {
            int size = 1 + r.nextInt(40);
            String hex = Integer.toHexString(size);
            sb.append(r.nextBoolean() ? hex : hex.toUpperCase(Locale.ROOT));
            sb.append(extensions(r)).append("\r\n");
            for (int j = 0; j < size; j++) {
                sb.append((char) ALPHABET[r.nextInt(ALPHABET.length)]);
            }
            sb.append("\r\n");
        }
        sb.append(r.nextInt(5) == 0 ? "000" : "0").append(extensions(r)).append("\r\n");
        int trailers = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0;
        for (int i = 0; i < trailers; i++) {
            sb.append("X-T").append(i).append(": v").append(r.nextInt(100)).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String extensions(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> ";a";
            case 1 -> ";name=value";
            case 2 -> " ; q=\"x y\\\"z\" ;b";
            case 3 -> ";t=tok;n ; m = \"\"";
            default -> "";
        };
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(30)];
        for (int i = 0; i < b.length; i++) {
            b[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return b;
    }

    private static byte[] mutate(Random r, byte[] body) {
        byte[] out = body;
        for (int k = 1 + r.nextInt(2); k > 0; k--) {
            if (out.length == 0) {
                return randomBytes(r);
            }
            int at = r.nextInt(out.length);
            byte b = ALPHABET[r.nextInt(ALPHABET.length)];
            out = switch (r.nextInt(4)) {
                case 0 -> {
                    byte[] copy = out.clone();
                    copy[at] = b;
                    yield copy;
                }
                case 1 -> concat(slice(out, 0, at), new byte[] {b}, slice(out, at, out.length));
                case 2 -> concat(slice(out, 0, at), slice(out, at + 1, out.length));
                default -> slice(out, 0, at);
            };
        }
        return out;
    }

    private static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xff;
            sb.append(c >= 0x20 && c < 0x7f && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.append('"').toString();
    }

    /** The strict grammar, line by line with regular expressions (the scan under test works byte by byte). */
    private static final class Reference {

        enum Outcome {
            ACCEPTED,
            REFUSED,
            INCOMPLETE
        }

        private static final String TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
        private static final String QUOTED = "\"(?:[\\t !\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t \\x21-\\x7e])*\"";
        // Whitespace may precede `;` and follow an extension name or a quoted value, never a token value.
        private static final Pattern SIZE_LINE = Pattern.compile("([0-9A-Fa-f]{1,8})(?:[ \\t]*(?:;[ \\t]*" + TOKEN
                + "(?:[ \\t]*=[ \\t]*(?:" + TOKEN + "|" + QUOTED + "[ \\t]*)|[ \\t]*))+)?");
        private static final Pattern TRAILER = Pattern.compile("(" + TOKEN + "):[\\t\\x20-\\x7e]*");

        final Outcome outcome;
        final byte[] data;
        final int end;

        private Reference(Outcome outcome, byte[] data, int end) {
            this.outcome = outcome;
            this.data = data;
            this.end = end;
        }

        @Override
        public String toString() {
            return outcome + (outcome == Outcome.ACCEPTED ? " " + data.length + " bytes, ends at " + end : "");
        }

        static Reference parse(byte[] in) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            int[] pos = {0};
            while (true) {
                String line = line(in, pos);
                if (line == null) {
                    return new Reference(pos[0] < 0 ? Outcome.REFUSED : Outcome.INCOMPLETE, null, -1);
                }
                var m = SIZE_LINE.matcher(line);
                if (line.length() > ChunkedBodyScan.MAX_SIZE_LINE || !m.matches()) {
                    return refused();
                }
                long size = Long.parseLong(m.group(1), 16);
                if (size > Integer.MAX_VALUE) {
                    return refused();
                }
                if (size == 0) {
                    return trailers(in, pos, data.toByteArray());
                }
                if (in.length - pos[0] < size + 2) {
                    boolean crlfSoFar = in.length - pos[0] <= size
                            || (in[(int) (pos[0] + size)] == '\r' && in.length - pos[0] == size + 1);
                    return crlfSoFar ? new Reference(Outcome.INCOMPLETE, null, -1) : refused();
                }
                data.write(in, pos[0], (int) size);
                pos[0] += (int) size;
                if (in[pos[0]] != '\r' || in[pos[0] + 1] != '\n') {
                    return refused();
                }
                pos[0] += 2;
            }
        }

        private static Reference trailers(byte[] in, int[] pos, byte[] data) {
            int bytes = 0;
            int count = 0;
            while (true) {
                String line = line(in, pos);
                if (line == null) {
                    return new Reference(pos[0] < 0 ? Outcome.REFUSED : Outcome.INCOMPLETE, null, -1);
                }
                if (line.isEmpty()) {
                    return new Reference(Outcome.ACCEPTED, data, pos[0]);
                }
                bytes += line.length();
                count++;
                var m = TRAILER.matcher(line);
                if (!m.matches()
                        || bytes > ProxyLimits.DEFAULT.maxHeaderBytes()
                        || count > ProxyLimits.DEFAULT.maxHeaders()) {
                    return refused();
                }
                String name = m.group(1).toLowerCase(Locale.ROOT);
                if (ChunkedBodyScan.FORBIDDEN_TRAILERS.contains(name) || name.startsWith("proxy-")) {
                    return refused();
                }
            }
        }

        /**
         * The next CRLF-terminated line from {@code pos}, advancing past it; null when there is no
         * complete line yet, with {@code pos[0]} set to -1 when a bare CR or LF makes it invalid.
         */
        private static String line(byte[] in, int[] pos) {
            for (int i = pos[0]; i < in.length; i++) {
                if (in[i] == '\n') {
                    pos[0] = -1;
                    return null;
                }
                if (in[i] == '\r') {
                    if (i + 1 == in.length) {
                        return null;
                    }
                    if (in[i + 1] != '\n') {
                        pos[0] = -1;
                        return null;
                    }
                    String line = new String(in, pos[0], i - pos[0], StandardCharsets.ISO_8859_1);
                    pos[0] = i + 2;
                    return line;
                }
            }
            return null;
        }

        private static Reference refused() {
            return new Reference(Outcome.REFUSED, null, -1);
        }
    }
}

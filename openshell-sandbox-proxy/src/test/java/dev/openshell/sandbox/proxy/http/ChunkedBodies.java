package dev.openshell.sandbox.proxy.http;

import dev.openshell.sandbox.proxy.shared.ProxyLimits;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Chunked request bodies for fuzz tests: generators of well-framed, random and mutated bodies, and
 * a reference parser of the strict grammar written independently of {@link ChunkedBodyScan}
 * (line by line with regular expressions, where the scan works byte by byte).
 */
public final class ChunkedBodies {

    /** Bytes that matter to chunked framing, and a few that must never pass. */
    public static final byte[] ALPHABET =
            "0123456789abcdefABCDEFxX+- \t;=\"\\\r\n:,aZ\0\u007f\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    private ChunkedBodies() {}

    /** A well-framed body: chunks with optional extensions, a last chunk, optional trailers. */
    public static byte[] validBody(Random r) {
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

    public static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(30)];
        for (int i = 0; i < b.length; i++) {
            b[i] = ALPHABET[r.nextInt(ALPHABET.length)];
        }
        return b;
    }

    public static byte[] mutate(Random r, byte[] body) {
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

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : b) {
            int c = x & 0xff;
            sb.append(c >= 0x20 && c < 0x7f && c != '\\' ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.append('"').toString();
    }

    /** The strict grammar, line by line with regular expressions (the scan under test works byte by byte). */
    public static final class Reference {

        public enum Outcome {
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

        public final Outcome outcome;
        public final byte[] data;
        public final int end;

        private Reference(Outcome outcome, byte[] data, int end) {
            this.outcome = outcome;
            this.data = data;
            this.end = end;
        }

        @Override
        public String toString() {
            return outcome + (outcome == Outcome.ACCEPTED ? " " + data.length + " bytes, ends at " + end : "");
        }

        public static Reference parse(byte[] in) {
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

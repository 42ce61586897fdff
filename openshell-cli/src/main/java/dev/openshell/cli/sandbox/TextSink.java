package dev.openshell.cli.sandbox;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes of one output stream of a remote command, written to a {@link PrintWriter} as UTF-8 text.
 * A multi-byte character split across two chunks is carried over, not replaced: the command's
 * output arrives in arbitrary 64 KiB pieces.
 */
final class TextSink {

    private final PrintWriter to;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);

    TextSink(PrintWriter to) {
        this.to = to;
    }

    synchronized void write(byte[] bytes) {
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + bytes.length);
        in.put(pending).put(bytes).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        out.flip();
        to.append(out);
        to.flush();
        pending = in.slice();
    }

    synchronized void finish() {
        CharBuffer out = CharBuffer.allocate(pending.remaining() + 2);
        decoder.decode(pending, out, true);
        decoder.flush(out);
        out.flip();
        to.append(out);
        to.flush();
        pending = ByteBuffer.allocate(0);
    }
}

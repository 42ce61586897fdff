package dev.openshell.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How a session's output reaches the channel: whole, and flushed only when the pipe runs dry. */
class PipedCommandTest {

    private static final int STDIO_CHUNK = 4096;

    @Test
    void smallWritesAlreadyQueuedAreSentTogetherNotFlushedOneByOne() {
        byte[] output = new byte[7 * 1024 * 1024];
        Arrays.fill(output, (byte) 'x');
        FlushCounter channel = new FlushCounter();

        PipedCommand.copyOutput(new Trickle(output, STDIO_CHUNK, true), channel);

        assertThat(channel.toByteArray()).isEqualTo(output);
        assertThat(channel.flushes).isLessThanOrEqualTo(output.length / (64 * 1024) + 1);
    }

    @Test
    void outputThatPausesIsFlushedAtEveryPause() {
        byte[] output = "prompt> ".repeat(5).getBytes();
        FlushCounter channel = new FlushCounter();

        PipedCommand.copyOutput(new Trickle(output, 8, false), channel);

        assertThat(channel.toByteArray()).isEqualTo(output);
        assertThat(channel.flushes).isEqualTo(5);
    }

    /** A pipe whose writer wrote {@code chunk} bytes at a time, all queued already or each after a pause. */
    private static final class Trickle extends InputStream {
        private final ByteArrayInputStream data;
        private final int chunk;
        private final boolean queued;

        Trickle(byte[] bytes, int chunk, boolean queued) {
            this.data = new ByteArrayInputStream(bytes);
            this.chunk = chunk;
            this.queued = queued;
        }

        @Override
        public int read() {
            return data.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return data.read(b, off, Math.min(len, chunk));
        }

        @Override
        public int available() {
            return queued ? data.available() : 0;
        }
    }

    private static final class FlushCounter extends ByteArrayOutputStream {
        int flushes;

        @Override
        public void flush() {
            flushes++;
        }
    }
}

package dev.openshell.cli.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A byte count shown on one terminal line while a transfer runs ({@code \r}-rewritten at most
 * five times a second), for transfers of at least 1 MiB and only on a terminal; nothing otherwise.
 */
public final class TransferProgress {

    private static final long SHOWN_FROM = 1 << 20;
    private static final long EVERY_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final String verb;
    private final long total;
    private final boolean enabled;
    private long done;
    private long lastShown;
    private boolean shown;

    /** {@code total}: the expected size, or -1 when unknown. */
    public TransferProgress(PrintWriter err, boolean terminal, String verb, long total) {
        this.err = err;
        this.verb = verb;
        this.total = total;
        this.enabled = terminal;
    }

    public InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    add(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    add(n);
                }
                return n;
            }
        };
    }

    synchronized void add(long n) {
        done += n;
        long now = System.nanoTime();
        if (enabled && done >= SHOWN_FROM && now - lastShown > EVERY_NANOS) {
            lastShown = now;
            shown = true;
            err.print("\r" + verb + " " + size(done) + (total > 0 ? " of " + size(total) : "") + "   ");
            err.flush();
        }
    }

    /** Ends the progress line, if one was shown. */
    public synchronized void finish() {
        if (shown) {
            err.print("\r" + verb + " " + size(done) + (total > 0 ? " of " + size(total) : "") + ", done\n");
            err.flush();
        }
    }

    public synchronized long bytes() {
        return done;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}

package dev.openshell.sandbox.proxy.log;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Appends decisions as JSON lines to a file, rotating by size ({@code file} → {@code file.1} →
 * ... → {@code file.N}, the oldest deleted). Callers (event-loop threads) only enqueue; a dedicated
 * writer thread encodes and writes in batches every 20 ms, flushing after each batch. When the queue is full
 * the record is dropped and counted rather than blocking the proxy. Never throws into the caller;
 * I/O failures are counted and the file is reopened on the next record.
 */
public final class RotatingFileSink implements DecisionSink {

    private static final int QUEUE_CAPACITY = 65_536;
    private static final long BATCH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Path file;
    private final long maxBytes;
    private final int maxFiles;
    private final BlockingQueue<DecisionRecord> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    // owned by the writer thread
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private OutputStream out;
    private long size;

    /**
     * @param file the active log file (its directory is created if needed)
     * @param maxBytes rotate before a line would make the file larger than this
     * @param maxFiles how many rotated files to keep ({@code file.1} .. {@code file.maxFiles}); 0
     *     keeps none (the file restarts empty)
     */
    public RotatingFileSink(Path file, long maxBytes, int maxFiles) {
        if (maxBytes < 1 || maxFiles < 0) {
            throw new IllegalArgumentException("maxBytes must be positive and maxFiles not negative");
        }
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.writer = Thread.ofPlatform()
                .name("decision-log-" + file.getFileName())
                .daemon(true)
                .start(this::run);
    }

    @Override
    public void accept(DecisionRecord record) {
        if (record == null || closed || !queue.offer(record)) {
            dropped.incrementAndGet();
        }
    }

    /** Records dropped because the queue was full or the sink closed. */
    public long dropped() {
        return dropped.get();
    }

    /** Write, rotation or open failures so far. */
    public long writeErrors() {
        return writeErrors.get();
    }

    /** Writes everything queued, flushes and closes the file. Idempotent. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Drains the queue in batches and sleeps in between: the proxy's threads never wake the writer
     * (no signal per record), so a decision costs its caller one queue insert and lines reach the
     * file within {@link #BATCH_INTERVAL_NANOS}.
     */
    private void run() {
        try {
            while (true) {
                boolean wasClosed = closed;
                DecisionRecord r;
                boolean wrote = false;
                while ((r = queue.poll()) != null) {
                    write(r);
                    wrote = true;
                }
                if (wrote) {
                    flush();
                }
                if (wasClosed) {
                    return; // closed before this drain began: everything queued before close is written
                }
                LockSupport.parkNanos(this, BATCH_INTERVAL_NANOS);
            }
        } finally {
            closeStream();
        }
    }

    private void write(DecisionRecord r) {
        try {
            line.reset();
            DecisionLines.write(r, line);
            line.write('\n');
            if (out == null) {
                open();
            }
            if (size > 0 && size + line.size() > maxBytes) {
                rotate();
            }
            line.writeTo(out);
            size += line.size();
        } catch (IOException | RuntimeException e) {
            writeErrors.incrementAndGet();
            dropped.incrementAndGet();
            closeStream();
        }
    }

    private void open() throws IOException {
        Path dir = file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        out = new BufferedOutputStream(
                Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 64 * 1024);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        if (maxFiles == 0) {
            Files.deleteIfExists(file);
        } else {
            Files.deleteIfExists(rotated(maxFiles));
            for (int i = maxFiles - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                writeErrors.incrementAndGet();
                closeStream();
            }
        }
    }

    private void closeStream() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                writeErrors.incrementAndGet();
            }
            out = null;
        }
    }
}

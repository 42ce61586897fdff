package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.json.SandboxJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;

/**
 * The sandbox's log: the agent's stdout and stderr and the supervisor's events, one JSON line each
 * ({@code {"ts":"2026-11-27T10:00:00.123Z","stream":"stdout","text":"..."}}), in {@code
 * sandbox.log} in the state directory. Streams are {@code stdout}, {@code stderr} and {@code
 * supervisor}. Output is written in batches (one write per chunk the agent's pipe gave, never one
 * per line), events at once, so {@link #follow} can tail it; when the file reaches its size limit
 * it moves to {@code sandbox.log.1} (one generation kept), since {@code /run} is memory.
 */
public final class SandboxLog implements AutoCloseable {

    public static final String FILE = "sandbox.log";
    /** The stream name of supervisor events. */
    public static final String SUPERVISOR = "supervisor";

    private static final int MAX_LINE = 16 * 1024;
    /** What one read of the agent's pipe takes, and what the log buffers before a write. */
    private static final int CHUNK = 64 * 1024;

    private static final Duration FOLLOW_POLL = Duration.ofMillis(100);

    private final Path file;
    private final long maxBytes;
    private final Consumer<String> eventListener;
    private OutputStream out;
    private long size;
    private boolean closed;

    /**
     * @param file the log file, created (mode 0640) or appended to
     * @param maxBytes rotate before the file grows past this
     * @param eventListener also receives every supervisor event (e.g. to show findings on a terminal)
     */
    public SandboxLog(Path file, long maxBytes, Consumer<String> eventListener) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.maxBytes = maxBytes;
        this.eventListener = Objects.requireNonNull(eventListener, "eventListener");
        open();
    }

    public Path file() {
        return file;
    }

    /** Records a supervisor event, written at once. */
    public void event(String text) {
        append(SUPERVISOR, text);
        flush();
        eventListener.accept(text);
    }

    /**
     * Records one line of {@code stream}, buffered until {@link #flush}, the buffer is full, or
     * {@link #close}. Never throws: a log that cannot be written is not fatal.
     */
    public synchronized void append(String stream, String text) {
        if (closed) {
            return;
        }
        try {
            byte[] bytes = lineOf(new Entry(Instant.now(), stream, text));
            if (size + bytes.length > maxBytes && size > 0) {
                rotate();
            }
            out.write(bytes);
            size += bytes.length;
        } catch (IOException e) {
            // The agent keeps running; its output is lost rather than blocking it.
        }
    }

    /** The entry's JSON line, with its line break. */
    static byte[] lineOf(Entry entry) {
        byte[] json = SandboxJson.mapper().writeValueAsBytes(entry);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }

    /** Writes what {@link #append} buffered. */
    public synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            // as in append
        }
    }

    /**
     * Starts a virtual thread copying {@code in} to the log line by line (a line longer than 16 KiB
     * is split) and, chunk by chunk as it arrives, to {@code mirror} when not null. When {@code
     * mirror} fails (its reader has gone), the copy ends and {@code in} is closed: the writer
     * gets EPIPE or SIGPIPE as if it had written to the mirror itself.
     *
     * @param lineWatcher sees each complete line (e.g. to spot the launcher's setup error)
     */
    public Thread pump(String stream, InputStream in, OutputStream mirror, Consumer<String> lineWatcher) {
        return Thread.ofVirtual().name("sandbox-log-" + stream).start(() -> copy(stream, in, mirror, lineWatcher));
    }

    private void copy(String stream, InputStream in, OutputStream terminal, Consumer<String> lineWatcher) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[CHUNK];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (terminal != null) {
                    try {
                        terminal.write(buffer, 0, n);
                        terminal.flush();
                    } catch (IOException e) {
                        break; // the reader has gone: closing the pipe passes that on to the agent
                    }
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n' || line.size() >= MAX_LINE) {
                        emit(stream, line, lineWatcher);
                        if (b == '\n') {
                            continue;
                        }
                    }
                    line.write(b);
                }
                flush();
            }
        } catch (IOException e) {
            // the process ended or its pipe closed
        }
        if (line.size() > 0) {
            emit(stream, line, lineWatcher);
        }
        flush();
    }

    private void emit(String stream, ByteArrayOutputStream line, Consumer<String> lineWatcher) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        append(stream, text);
        lineWatcher.accept(text);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }

    /**
     * Opens the file for appending without following a symbolic link, creating it with mode 0640
     * (an existing file keeps its mode): the file may be one a user named ({@code run --log}), in
     * a directory others can write, and the supervisor is root.
     */
    private void open() throws IOException {
        Files.createDirectories(file.getParent());
        java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(
                file,
                java.util.Set.of(
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
        out = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel), CHUNK);
        size = channel.size();
    }

    private void rotate() throws IOException {
        out.close();
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    /**
     * One log line.
     *
     * @param stream {@code stdout}, {@code stderr} or {@code supervisor}
     */
    public record Entry(Instant ts, String stream, String text) {

        /** {@code 2026-11-27T10:00:00.123Z stdout hello}. */
        public String render() {
            return ts + " " + stream + " " + text;
        }

        static Optional<Entry> parse(String line) {
            try {
                Entry e = SandboxJson.mapper().readValue(line, Entry.class);
                return e == null || e.ts() == null || e.stream() == null
                        ? Optional.empty()
                        : Optional.of(e.text() == null ? new Entry(e.ts(), e.stream(), "") : e);
            } catch (JacksonException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Passes every entry of {@code file} to {@code sink}; then, while {@code keepFollowing} says
     * so, every entry appended later (following a rotation). Returns at the end otherwise.
     */
    public static void follow(Path file, Consumer<Entry> sink, BooleanSupplier keepFollowing) throws IOException {
        Path rotated = file.resolveSibling(file.getFileName() + ".1");
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        Object followed = null; // the identity of the file being read (its size alone cannot tell a rotation)
        long position = 0;
        while (true) {
            Object current = fileKey(file);
            if (followed != null && !followed.equals(current)) {
                // Rotated: what was appended before the rotation is in .1 now, then the new file starts over.
                if (followed.equals(fileKey(rotated))) {
                    readFrom(rotated, position, partial, sink);
                }
                partial.reset();
                position = 0;
            }
            followed = current;
            long length = current == null ? -1 : sizeOrMissing(file);
            if (length > position) {
                position = readFrom(file, position, partial, sink);
                continue;
            }
            if (!keepFollowing.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(FOLLOW_POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Passes the complete lines of {@code file} from {@code position} on; returns where it stopped. */
    private static long readFrom(Path file, long position, ByteArrayOutputStream partial, Consumer<Entry> sink)
            throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            if (length <= position) {
                return position;
            }
            raf.seek(position);
            byte[] chunk = new byte[(int) Math.min(length - position, 1 << 20)];
            raf.readFully(chunk);
            for (byte b : chunk) {
                if (b == '\n') {
                    Entry.parse(partial.toString(StandardCharsets.UTF_8)).ifPresent(sink);
                    partial.reset();
                } else {
                    partial.write(b);
                }
            }
            return position + chunk.length;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return position;
        }
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static long sizeOrMissing(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}

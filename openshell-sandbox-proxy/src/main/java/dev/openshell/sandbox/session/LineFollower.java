package dev.openshell.sandbox.session;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Follows a file of lines that its writer rotates to {@code file.1} (the sandbox and decision logs):
 * every complete line, from the start, then what is appended, until told to stop. A rotation is
 * told by the file's identity, and the rest of the old file is read from {@code .1} first.
 */
final class LineFollower {

    private static final int MAX_LINE = 256 * 1024;

    private LineFollower() {}

    static void follow(Path file, Duration poll, Consumer<String> sink, BooleanSupplier keepFollowing) {
        Path rotated = file.resolveSibling(file.getFileName() + ".1");
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        Object followed = null;
        long position = 0;
        while (true) {
            Object current = fileKey(file);
            if (followed != null && !followed.equals(current)) {
                if (followed.equals(fileKey(rotated))) {
                    readFrom(rotated, position, partial, sink);
                }
                partial.reset();
                position = 0;
            }
            followed = current;
            long length = size(file);
            if (length > position) {
                position = readFrom(file, position, partial, sink);
                continue;
            }
            if (!keepFollowing.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long readFrom(Path file, long position, ByteArrayOutputStream partial, Consumer<String> sink) {
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
                    sink.accept(partial.toString(StandardCharsets.UTF_8));
                    partial.reset();
                } else if (partial.size() < MAX_LINE) {
                    partial.write(b);
                }
            }
            return position + chunk.length;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return position;
        } catch (IOException e) {
            return position;
        }
    }

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}

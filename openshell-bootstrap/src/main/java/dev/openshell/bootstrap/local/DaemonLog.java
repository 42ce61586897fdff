package dev.openshell.bootstrap.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The end of a daemon's log, to say in one line why it stopped. */
final class DaemonLog {

    private DaemonLog() {}

    /** The last {@code lines} lines (at most 64 KiB) of {@code file}; empty when unreadable. */
    static String tail(Path file, int lines) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - 65536);
            byte[] buf = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            String[] all = text.split("\n");
            int start = Math.max(0, all.length - lines);
            return String.join("\n", java.util.Arrays.copyOfRange(all, start, all.length));
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The most telling line: Spring's "APPLICATION FAILED TO START" description, else the last
     * ERROR or exception line, else the gateway's own one-line refusal ({@code openshell-gateway: ...}).
     */
    static String lastError(String tail) {
        String[] lines = tail.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().equals("Description:")) {
                for (int j = i + 1; j < lines.length; j++) {
                    if (!lines[j].isBlank()) {
                        return dev.openshell.api.SafeText.oneLine(lines[j].strip(), 300);
                    }
                }
            }
        }
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i];
            if (l.startsWith("openshell-gateway: ") || l.contains(" ERROR ") || l.contains("Exception: ")) {
                return dev.openshell.api.SafeText.oneLine(l.strip(), 300);
            }
        }
        return "";
    }
}

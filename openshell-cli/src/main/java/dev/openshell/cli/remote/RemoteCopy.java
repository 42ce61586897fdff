package dev.openshell.cli.remote;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.support.CliErrors;
import dev.openshell.sandbox.ssh.ShellWords;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Copies the {@link Distribution} to its versioned directory on the host over the SSH session: a
 * file whose SHA-256 there matches is skipped; the others are streamed to a temporary name,
 * checked, and renamed into place, so a broken copy never passes for a complete one.
 */
final class RemoteCopy {

    private static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration FILE_TIMEOUT = Duration.ofMinutes(10);

    private RemoteCopy() {}

    /** Returns how many files were copied (0: all were there already). */
    static int copy(RemoteShell shell, Distribution dist, RemoteLayout layout, Consumer<String> progress) {
        String dir = layout.distDir();
        Map<String, String> there = remoteHashes(shell, dir);
        int copied = 0;
        for (String name : RemoteLayout.FILES) {
            Path file = dist.files().get(name);
            String hash = Distribution.sha256(file);
            if (hash.equals(there.get(name))) {
                continue;
            }
            progress.accept("copying " + name + " (" + megabytes(file) + ") to " + shell.destination() + ":" + dir);
            String tmp = dir + "/." + name + ".tmp";
            String script = "umask 022 && mkdir -p " + ShellWords.quote(dir) + " && cat > " + ShellWords.quote(tmp)
                    + " && set -- $(sha256sum " + ShellWords.quote(tmp) + ") && if [ \"$1\" = " + ShellWords.quote(hash)
                    + " ]; then mv -f " + ShellWords.quote(tmp) + " " + ShellWords.quote(dir + "/" + name)
                    + "; else rm -f " + ShellWords.quote(tmp) + "; echo \"the copy arrived damaged (sha256 $1)\" >&2;"
                    + " exit 1; fi";
            try (InputStream in = Files.newInputStream(file)) {
                RemoteShell.Result r = shell.run(script, in, null, FILE_TIMEOUT);
                if (!r.ok()) {
                    throw CliErrors.of(
                            ErrorCode.REMOTE_COMMAND_FAILED,
                            "cannot copy " + name + " to " + shell.destination() + ":" + dir + ": " + r.lastError(),
                            "check the free space and permissions there");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
            copied++;
        }
        return copied;
    }

    private static Map<String, String> remoteHashes(RemoteShell shell, String dir) {
        List<String> files = RemoteLayout.FILES;
        StringBuilder script = new StringBuilder("cd " + ShellWords.quote(dir) + " 2>/dev/null || exit 0; for f in");
        files.forEach(f -> script.append(' ').append(ShellWords.quote(f)));
        script.append("; do [ -f \"$f\" ] && sha256sum \"$f\"; done; exit 0");
        RemoteShell.Result r = shell.run(script.toString(), LIST_TIMEOUT);
        Map<String, String> out = new HashMap<>();
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.strip().split("\\s+\\*?", 2);
            if (f.length == 2) {
                out.put(f[1], f[0].toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static String megabytes(Path file) {
        try {
            return String.format(Locale.ROOT, "%.0f MB", Files.size(file) / 1e6);
        } catch (IOException e) {
            return "? MB";
        }
    }
}

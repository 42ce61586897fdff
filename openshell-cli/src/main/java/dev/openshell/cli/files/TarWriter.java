package dev.openshell.cli.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes an {@link UploadTree} as a POSIX tar stream (PAX headers for long names and big files).
 * Permissions travel; owners do not (the sandbox's tar makes the files the agent's).
 */
public final class TarWriter {

    private TarWriter() {}

    public static void write(UploadTree tree, OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            for (UploadTree.Entry e : tree.entries()) {
                TarArchiveEntry entry;
                switch (e.kind()) {
                    case DIRECTORY -> {
                        entry = new TarArchiveEntry(e.name() + "/");
                        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode(e));
                        tar.putArchiveEntry(entry);
                    }
                    case LINK -> {
                        entry = new TarArchiveEntry(e.name(), TarConstants.LF_SYMLINK);
                        entry.setLinkName(e.linkTarget());
                        tar.putArchiveEntry(entry);
                    }
                    case FILE -> {
                        entry = new TarArchiveEntry(e.name());
                        // The size the walk saw: a file growing meanwhile is cut there, not overflowing the entry.
                        entry.setSize(e.size());
                        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode(e));
                        tar.putArchiveEntry(entry);
                        try (InputStream in = Files.newInputStream(e.local(), LinkOption.NOFOLLOW_LINKS)) {
                            long copied = copy(in, tar, e.size());
                            for (long i = copied; i < e.size(); i++) {
                                tar.write(0); // it shrank meanwhile: pad to the size announced
                            }
                        }
                    }
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }

    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    private static int mode(UploadTree.Entry e) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(e.local(), LinkOption.NOFOLLOW_LINKS);
        int mode = 0;
        for (PosixFilePermission p : perms) {
            mode |= 1 << (8 - p.ordinal());
        }
        return mode;
    }
}

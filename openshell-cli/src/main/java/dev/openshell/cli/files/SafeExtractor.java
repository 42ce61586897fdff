package dev.openshell.cli.files;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a tar stream that comes from a sandbox, and so may be hostile, into one local
 * directory, and never writes outside it. Refused, with the entry named: absolute names, any
 * {@code ..} segment, a path that goes through a symbolic link (one the archive made, or one that
 * was there), symbolic or hard links whose target leaves the directory, devices and fifos. Files
 * are opened without following a final symbolic link, and set-id bits are dropped.
 */
public final class SafeExtractor {

    private final Path root;

    /** Extracts into {@code root} (made if missing). */
    public SafeExtractor(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Extracts every entry of {@code tar}; returns how many. */
    public int extract(InputStream tar) throws IOException {
        Files.createDirectories(root);
        int count = 0;
        try (TarArchiveInputStream in = new TarArchiveInputStream(tar, "UTF-8")) {
            TarArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                extractOne(entry, in);
                count++;
            }
        }
        return count;
    }

    private void extractOne(TarArchiveEntry entry, InputStream in) throws IOException {
        String name = entry.getName();
        Path target = inside(name);
        if (target.equals(root)) {
            return; // "./": the directory itself
        }
        requireNoLinkOnTheWay(name, target.getParent());
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            // Checked first: commons-compress calls anything that is not a directory a file.
            throw refused(name, "not a file, directory or link");
        }
        if (entry.isDirectory()) {
            if (Files.isSymbolicLink(target)) {
                throw refused(name, "a symbolic link is in the way");
            }
            Files.createDirectories(target);
            setMode(target, entry.getMode() | 0700);
        } else if (entry.isSymbolicLink()) {
            String link = entry.getLinkName();
            Path resolved = target.getParent().resolve(link).normalize();
            if (Path.of(link).isAbsolute() || !resolved.startsWith(root)) {
                throw refused(name, "a symbolic link to " + SafeText.quote(link) + ", outside the target directory");
            }
            Files.deleteIfExists(target);
            Files.createSymbolicLink(target, Path.of(link));
        } else if (entry.isLink()) {
            Path source = inside(entry.getLinkName());
            requireNoLinkOnTheWay(entry.getLinkName(), source.getParent());
            if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(
                        name, "a hard link to " + SafeText.quote(entry.getLinkName()) + ", not a file extracted here");
            }
            Files.deleteIfExists(target);
            Files.createLink(target, source);
        } else if (entry.isFile()) {
            if (Files.isSymbolicLink(target)) {
                throw refused(name, "a symbolic link is in the way");
            }
            try (OutputStream out = Files.newOutputStream(
                    target,
                    LinkOption.NOFOLLOW_LINKS,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                in.transferTo(out);
            }
            setMode(target, entry.getMode());
        } else {
            throw refused(name, "not a file, directory or link");
        }
    }

    /** The entry's path under the root; refuses absolute names and {@code ..}. */
    private Path inside(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0) {
            throw refused(String.valueOf(name), "an absolute or empty name");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw refused(name, "it climbs out with ..");
            }
        }
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root)) {
            throw refused(name, "it lands outside the target directory");
        }
        return target;
    }

    /** Every directory from the root down to {@code dir} must be a real directory, never a link. */
    private void requireNoLinkOnTheWay(String name, Path dir) throws IOException {
        Path relative = root.relativize(dir);
        Path at = root;
        for (Path segment : relative) {
            if (segment.toString().isEmpty()) {
                continue;
            }
            at = at.resolve(segment);
            if (Files.isSymbolicLink(at)) {
                throw refused(name, "it goes through the symbolic link " + root.relativize(at));
            }
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(at);
                } catch (FileAlreadyExistsException e) {
                    if (Files.isSymbolicLink(at)) {
                        throw refused(name, "it goes through the symbolic link " + root.relativize(at));
                    }
                }
            }
        }
    }

    private static void setMode(Path path, int mode) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < all.length; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                perms.add(all[i]);
            }
        }
        Files.setPosixFilePermissions(path, perms);
    }

    private static RuntimeException refused(String name, String why) {
        return CliErrors.of(
                ErrorCode.TRANSFER_FAILED,
                "refused the archive's entry " + SafeText.quote(name) + ": " + why,
                "nothing is written outside the target directory; what came before it was extracted");
    }
}

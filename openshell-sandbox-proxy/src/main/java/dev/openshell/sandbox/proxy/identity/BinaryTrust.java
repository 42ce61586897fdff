package dev.openshell.sandbox.proxy.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Trust on first use for executables: the first SHA-256 seen for a binary path is recorded, and a
 * later, different content under the same path is refused ({@code binary_changed}) until the
 * sandbox restarts. The content is read through {@code /proc/<pid>/exe}, i.e. the file the process
 * really executes, never by path (which may have been swapped). Hashes are cached by the file's
 * identity (device, inode, size, mtime) so repeat connections do not rehash. Thread-safe.
 */
public final class BinaryTrust {

    /** Beyond this many cached file versions the cache is dropped and rebuilt (a bound, not an LRU). */
    private static final int MAX_CACHED_FILES = 4096;

    private final Map<FileKey, String> hashes = new ConcurrentHashMap<>();
    private final Map<String, String> firstSeen = new ConcurrentHashMap<>();

    /**
     * Returns the SHA-256 of the executable behind {@code exeLink}, recording it for
     * {@code binaryPath} on first use.
     *
     * @param exeLink {@code /proc/<pid>/exe} of the process (opened, never resolved by name)
     * @param binaryPath the path the kernel reports for it (the TOFU key)
     * @throws IdentityException {@code binary_changed} when the path's content differs from the first
     *     one seen; {@code identity_unknown} when the executable cannot be read (process exited)
     */
    public String verify(Path exeLink, String binaryPath) {
        return checkFirstSeen(binaryPath, hash(exeLink, binaryPath));
    }

    private String checkFirstSeen(String binaryPath, String sha) {
        String first = firstSeen.putIfAbsent(binaryPath, sha);
        if (first != null && !first.equals(sha)) {
            throw new IdentityException(
                    "binary_changed",
                    binaryPath + " changed since it was first seen (sha256 " + abbreviate(first) + " -> "
                            + abbreviate(sha) + "); restart the sandbox to trust the new binary");
        }
        return sha;
    }

    /**
     * As {@link #verify}, but only when the executable's current version was hashed before (a stat,
     * no read of its content); null when it would have to be hashed now.
     */
    public String verifyIfHashed(Path exeLink, String binaryPath) {
        String sha;
        try {
            sha = hashes.get(FileKey.of(exeLink, binaryPath));
        } catch (IOException e) {
            throw new IdentityException(
                    "identity_unknown",
                    "cannot read the executable " + binaryPath + " through " + exeLink + " (process exited?): " + e,
                    e);
        }
        return sha == null ? null : checkFirstSeen(binaryPath, sha);
    }

    /** The hash first recorded for a path, if any. */
    public Optional<String> firstSeen(String binaryPath) {
        return Optional.ofNullable(firstSeen.get(binaryPath));
    }

    private String hash(Path exeLink, String binaryPath) {
        try {
            FileKey before = FileKey.of(exeLink, binaryPath);
            String cached = hashes.get(before);
            if (cached != null) {
                return cached;
            }
            String sha = sha256(exeLink);
            // only cache when the file did not change while we read it, so a key never maps to
            // content from a later version
            if (before.equals(FileKey.of(exeLink, binaryPath))) {
                if (hashes.size() >= MAX_CACHED_FILES) {
                    hashes.clear();
                }
                hashes.put(before, sha);
            }
            return sha;
        } catch (IOException e) {
            throw new IdentityException(
                    "identity_unknown",
                    "cannot read the executable " + binaryPath + " through " + exeLink + " (process exited?): " + e,
                    e);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String abbreviate(String sha) {
        return sha.substring(0, 12) + "..";
    }

    /** Identity of one version of a file; stat follows the magic link to the executed inode. */
    private record FileKey(String path, long dev, long ino, long size, long mtimeNanos) {
        static FileKey of(Path exeLink, String path) throws IOException {
            Map<String, Object> a = Files.readAttributes(exeLink, "unix:dev,ino,size,lastModifiedTime");
            return new FileKey(
                    path,
                    ((Number) a.get("dev")).longValue(),
                    ((Number) a.get("ino")).longValue(),
                    ((Number) a.get("size")).longValue(),
                    ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
        }
    }
}

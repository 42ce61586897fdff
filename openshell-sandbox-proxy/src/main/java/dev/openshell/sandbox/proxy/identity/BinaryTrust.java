package dev.openshell.sandbox.proxy.identity;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trust on first use for executables: the first SHA-256 seen for a binary path is recorded, and a
 * later, different content under the same path is refused ({@code binary_changed}) until the
 * sandbox restarts. The content is read through {@code /proc/<pid>/exe}, i.e. the file the process
 * really executes, never by path (which may have been swapped). Hashes are cached by the file's
 * version (device, inode, size, mtime) so repeat connections do not rehash. Thread-safe.
 */
public final class BinaryTrust {

    /** Beyond this many cached file versions the cache is dropped and rebuilt (a bound, not an LRU). */
    private static final int MAX_CACHED_FILES = 4096;

    private final Map<FileKey, String> hashes = new ConcurrentHashMap<>();
    private final Map<String, String> firstSeen = new ConcurrentHashMap<>();

    /**
     * Returns the SHA-256 of {@code exe}, recording it for {@code binaryPath} on first use.
     *
     * @param exe the file the process executes (read through the process, never by name)
     * @param binaryPath the path the kernel reports for it (the TOFU key)
     * @throws IdentityException {@code binary_changed} when the path's content differs from the first
     *     one seen; {@code identity_unknown} when the executable cannot be read (process exited)
     */
    String verify(Executable exe, String binaryPath) {
        return checkFirstSeen(binaryPath, hash(exe, binaryPath));
    }

    private String checkFirstSeen(String binaryPath, String sha) {
        String first = firstSeen.putIfAbsent(binaryPath, sha);
        if (first != null && !first.equals(sha)) {
            throw new IdentityException(
                    ErrorCode.BINARY_CHANGED,
                    binaryPath + " changed since it was first seen (sha256 " + abbreviate(first) + " -> "
                            + abbreviate(sha) + "); restart the sandbox to trust the new binary");
        }
        return sha;
    }

    /**
     * As {@link #verify}, but only when the executable's current version was hashed before (a stat,
     * no read of its content); null when it would have to be hashed now.
     */
    String verifyIfHashed(Executable exe, String binaryPath) {
        String sha;
        try {
            sha = hashes.get(new FileKey(binaryPath, exe.version()));
        } catch (IOException e) {
            throw unreadable(exe, binaryPath, e);
        }
        return sha == null ? null : checkFirstSeen(binaryPath, sha);
    }

    /** The hash first recorded for a path, if any. */
    public Optional<String> firstSeen(String binaryPath) {
        return Optional.ofNullable(firstSeen.get(binaryPath));
    }

    private String hash(Executable exe, String binaryPath) {
        try {
            FileKey before = new FileKey(binaryPath, exe.version());
            String cached = hashes.get(before);
            if (cached != null) {
                return cached;
            }
            String sha = sha256(exe);
            // only cache when the file did not change while we read it, so a key never maps to
            // content from a later version
            if (before.equals(new FileKey(binaryPath, exe.version()))) {
                if (hashes.size() >= MAX_CACHED_FILES) {
                    hashes.clear();
                }
                hashes.put(before, sha);
            }
            return sha;
        } catch (IOException e) {
            throw unreadable(exe, binaryPath, e);
        }
    }

    private static IdentityException unreadable(Executable exe, String binaryPath, IOException e) {
        return new IdentityException(
                ErrorCode.IDENTITY_UNKNOWN,
                "cannot read the executable " + binaryPath + " through " + exe.describe() + " (process exited?): " + e,
                e);
    }

    private static String sha256(Executable exe) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = exe.open()) {
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

    /** One version of the file behind a binary path. */
    private record FileKey(String path, FileVersion version) {

        // written out: the generated ones go through invokedynamic, slow in a C1-only JVM (the proxy's)
        @Override
        public boolean equals(Object o) {
            return o instanceof FileKey k && k.version.equals(version) && k.path.equals(path);
        }

        @Override
        public int hashCode() {
            return path.hashCode() * 31 + version.hashCode();
        }
    }
}

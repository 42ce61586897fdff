package dev.openshell.sandbox.proxy.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The host's certificate authority for TLS-terminating proxies: one ECDSA P-256 key and its
 * self-signed certificate, in one file ({@value #FILE}, the PKCS#8 key then the certificate, PEM)
 * in a directory only this user may enter, by default {@link #DEFAULT_DIR} (memory, so a reboot
 * starts a new one). Every sandbox's proxy on the host signs its leaves with it, so a sandbox's
 * start costs no key generation; the agent sees only the certificate (docs/architecture.md says
 * why sharing it does not weaken the isolation between sandboxes).
 *
 * <p>The file is used only when the directory is a real directory of this user with mode 0700 and
 * the file a regular file of this user, mode 0600, with one link, holding a CA certificate valid
 * for at least {@link #RENEW_BEFORE} more. Anything else (another owner, a wider mode, a symbolic
 * link, a file that does not parse, an expiring certificate) is never read for its key: a new CA is
 * made and replaces it atomically, so concurrent starts see the old file or the new, never a mix.
 */
public final class HostCa {

    /** Where the supervisor keeps it: under the host's sandbox state, on a memory filesystem. */
    public static final Path DEFAULT_DIR = Path.of("/run/openshell/ca");

    static final String FILE = "host-ca.pem";
    /** A CA with less left is replaced: a leaf (7 days) never outlives its CA. */
    static final Duration RENEW_BEFORE = Duration.ofDays(8);

    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final boolean created;

    private HostCa(PrivateKey key, X509Certificate certificate, boolean created) {
        this.key = key;
        this.certificate = certificate;
        this.created = created;
    }

    /**
     * The CA kept in {@code dir}: the one there when it passes every check, else a new one written
     * there (the directory made, or remade when it is not this user's alone).
     *
     * @throws IOException when the directory or file cannot be made or written
     */
    public static HostCa loadOrCreate(Path dir) throws IOException {
        prepareDirectory(dir);
        Optional<HostCa> existing = load(dir.resolve(FILE));
        if (existing.isPresent()) {
            return existing.get();
        }
        SandboxCa.Authority authority = SandboxCa.newAuthority("OpenShell Sandbox CA");
        write(dir, authority);
        return new HostCa(authority.key(), authority.certificate(), true);
    }

    public PrivateKey key() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Whether this call made the CA (the file was missing or refused). */
    public boolean created() {
        return created;
    }

    /** Makes {@code dir} 0700 and ours; anything else in its place is removed first, with its content. */
    private static void prepareDirectory(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        Optional<PosixFileAttributes> attributes = attributes(dir);
        if (attributes.isPresent() && !privateDirectory(dir, attributes.get())) {
            // Whoever else could enter or write it could have read or swapped the key.
            deleteRecursively(dir);
            attributes = Optional.empty();
        }
        if (attributes.isEmpty()) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } catch (FileAlreadyExistsException e) {
                // a concurrent start made it: checked below like any other
            }
        }
        PosixFileAttributes now = attributes(dir).orElseThrow(() -> new IOException(dir + " vanished"));
        if (!privateDirectory(dir, now)) {
            throw new IOException(dir + " is not a directory of this user's alone (mode 0700)");
        }
    }

    private static boolean privateDirectory(Path dir, PosixFileAttributes attributes) throws IOException {
        return attributes.isDirectory()
                && ownedByUs(dir, attributes)
                && attributes.permissions().equals(DIR_MODE);
    }

    /** The CA in {@code file} if it passes every check, else empty. */
    static Optional<HostCa> load(Path file) {
        try {
            Optional<PosixFileAttributes> attributes = attributes(file);
            if (attributes.isEmpty()
                    || !attributes.get().isRegularFile()
                    || !ownedByUs(file, attributes.get())
                    || !attributes.get().permissions().equals(FILE_MODE)
                    || ((Number) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() != 1
                    || attributes.get().size() > 16 * 1024) {
                return Optional.empty();
            }
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            int begin = pem.indexOf(KEY_BEGIN);
            int end = pem.indexOf(KEY_END);
            if (begin < 0 || end < begin) {
                return Optional.empty();
            }
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + KEY_BEGIN.length(), end));
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            List<X509Certificate> certificates =
                    Pem.decodeAll(pem.substring(end + KEY_END.length()).getBytes(StandardCharsets.US_ASCII));
            if (certificates.size() != 1 || !usable(certificates.getFirst())) {
                return Optional.empty();
            }
            return Optional.of(new HostCa(key, certificates.getFirst(), false));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    /** A P-256 CA certificate valid now and for {@link #RENEW_BEFORE} more. */
    private static boolean usable(X509Certificate certificate) {
        Instant now = Instant.now();
        return certificate.getBasicConstraints() >= 0
                && certificate.getPublicKey() instanceof ECPublicKey ec
                && ec.getParams().getCurve().getField().getFieldSize() == 256
                && !certificate.getNotBefore().toInstant().isAfter(now)
                && certificate.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE));
    }

    /** Writes a temporary file 0600 from its creation, then renames it over {@value #FILE}. */
    private static void write(Path dir, SandboxCa.Authority authority) throws IOException {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(authority.key().getEncoded());
        String pem = KEY_BEGIN + "\n" + body + "\n" + KEY_END + "\n" + Pem.encode(authority.certificate());
        Path temporary = dir.resolve(FILE + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(FILE_MODE));
        try {
            Files.setPosixFilePermissions(temporary, FILE_MODE);
            Files.writeString(temporary, pem, StandardCharsets.US_ASCII);
            Files.move(temporary, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Optional<PosixFileAttributes> attributes(Path path) throws IOException {
        try {
            return Optional.of(Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static boolean ownedByUs(Path path, PosixFileAttributes attributes) throws IOException {
        int uid = ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue();
        return !attributes.isSymbolicLink() && uid == EffectiveUid.VALUE;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (var children = Files.list(path)) {
                for (Path child : children.toList()) {
                    deleteRecursively(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    /** This process's effective uid, as {@code /proc/self} is owned by it. */
    private static final class EffectiveUid {
        static final int VALUE = effectiveUid();

        private static int effectiveUid() {
            try {
                return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read this process's uid", e);
            }
        }
    }
}

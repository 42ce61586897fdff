package dev.openshell.bootstrap.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Certificates and keys as PEM files. Keys are written 0600 from the start (never world-readable
 * for a moment) and every file is replaced atomically, so a crash mid-write leaves the old file.
 */
public final class PemFiles {

    private static final Set<PosixFilePermission> KEY_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> CERT_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private PemFiles() {}

    /** Writes the chain to {@code certFile} and, when the bundle has one, the key to {@code keyFile} (0600). */
    public static void write(CertificateBundle bundle, Path certFile, Path keyFile) {
        if (bundle.privateKey() != null && keyFile != null) {
            writeAtomically(keyFile, bundle.privateKeyPem(), KEY_MODE);
        }
        writeAtomically(certFile, bundle.certificatePem(), CERT_MODE);
    }

    /** Writes only the bundle's root certificate (trust for clients). */
    public static void writeRoot(CertificateBundle bundle, Path certFile) {
        writeAtomically(certFile, Pem.certificates(java.util.List.of(bundle.root())), CERT_MODE);
    }

    /** Reads a chain and, when {@code keyFile} is given, its key. */
    public static CertificateBundle read(Path certFile, Path keyFile) {
        var chain = Pem.readCertificates(readText(certFile), certFile.toString());
        var key = keyFile == null ? null : Pem.readPrivateKey(readText(keyFile), keyFile.toString());
        return new CertificateBundle(chain, key);
    }

    /**
     * Parses a chain and, when {@code keyPem} is given, its key from PEM text (as fetched from
     * another host); {@code source} names it in errors.
     */
    public static CertificateBundle parse(String certPem, String keyPem, String source) {
        var chain = Pem.readCertificates(certPem, source);
        var key = keyPem == null ? null : Pem.readPrivateKey(keyPem, source);
        return new CertificateBundle(chain, key);
    }

    /** Writes {@code text} with {@code mode} through a temporary file in the same directory. */
    public static void writeAtomically(Path file, String text, Set<PosixFilePermission> mode) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(
                    dir, "." + file.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(mode));
            try {
                Files.writeString(tmp, text, StandardCharsets.US_ASCII);
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            Files.setPosixFilePermissions(file, mode);
        } catch (IOException e) {
            throw new PkiException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PkiException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

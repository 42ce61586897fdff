package dev.openshell.sandbox.proxy.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Writes {@code ca.pem} and {@code bundle.pem} (system CAs + the sandbox CA) into a directory,
 * each atomically (temporary file, then rename) and world-readable (0644), so a sandbox process
 * never reads a half-written bundle.
 */
public final class TrustBundleWriter {

    /** Debian's and Ubuntu's system bundle. */
    public static final Path SYSTEM_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");

    private final Path systemBundle;

    /** Uses {@link #SYSTEM_BUNDLE}, or the JDK's trust store when that file is missing. */
    public TrustBundleWriter() {
        this(SYSTEM_BUNDLE);
    }

    /** Uses {@code systemBundle}, or the JDK's trust store when that file is missing. */
    public TrustBundleWriter(Path systemBundle) {
        this.systemBundle = Objects.requireNonNull(systemBundle, "systemBundle");
    }

    public TrustBundle write(Path directory, SandboxCa ca) throws IOException {
        Files.createDirectories(directory);
        String caPem = comment(ca.certificate()) + ca.certificatePem();
        StringBuilder bundle = new StringBuilder(256 * 1024);
        int system = appendSystemCertificates(bundle);
        bundle.append('\n').append(caPem);
        Path caFile = directory.resolve("ca.pem");
        Path bundleFile = directory.resolve("bundle.pem");
        writeAtomically(caFile, caPem);
        writeAtomically(bundleFile, bundle.toString());
        return new TrustBundle(caFile, bundleFile, system);
    }

    private int appendSystemCertificates(StringBuilder out) throws IOException {
        if (Files.isReadable(systemBundle)) {
            // Counted, not parsed: parsing every system CA took a good part of a sandbox's start, and
            // the tools that read the bundle judge its certificates themselves.
            String pem = Files.readString(systemBundle, StandardCharsets.UTF_8);
            out.append(pem);
            if (!pem.isEmpty() && pem.charAt(pem.length() - 1) != '\n') {
                out.append('\n');
            }
            return count(pem, "-----BEGIN CERTIFICATE-----");
        }
        List<X509Certificate> jdk = JdkTrustStore.certificates();
        for (X509Certificate c : jdk) {
            out.append(comment(c)).append(Pem.encode(c));
        }
        return jdk.size();
    }

    private static int count(String text, String marker) {
        int count = 0;
        for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + marker.length())) {
            count++;
        }
        return count;
    }

    /** A "# subject" line; control characters are dropped so a name cannot break the PEM. */
    private static String comment(X509Certificate c) {
        StringBuilder b = new StringBuilder("# ");
        c.getSubjectX500Principal()
                .getName()
                .codePoints()
                .filter(cp -> cp >= 0x20 && cp != 0x7f)
                .forEach(b::appendCodePoint);
        return b.append('\n').toString();
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

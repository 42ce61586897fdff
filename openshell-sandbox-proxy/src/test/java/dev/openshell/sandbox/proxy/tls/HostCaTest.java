package dev.openshell.sandbox.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.testkit.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host CA is made once and reused, and a file or directory anyone but its owner could have
 * written or linked is never read for its key: a new CA replaces it.
 */
class HostCaTest {

    @TempDir
    Path root;

    @Test
    void theFirstCallMakesTheCaAndLaterCallsReuseIt() throws Exception {
        Path dir = root.resolve("ca");

        HostCa first = HostCa.loadOrCreate(dir);
        HostCa second = HostCa.loadOrCreate(dir);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.certificate()).isEqualTo(first.certificate());
        assertThat(second.key().getEncoded()).isEqualTo(first.key().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(HostCa.FILE))))
                .isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(HostCa.FILE);
        }
    }

    @Test
    void leavesOfTwoSandboxesChainToTheOneHostCertificate() throws Exception {
        HostCa host = HostCa.loadOrCreate(root.resolve("ca"));

        X509Certificate a = SandboxCa.of("a", host).mintLeaf("a.test").certificate();
        X509Certificate b = SandboxCa.of("b", host).mintLeaf("b.test").certificate();

        assertThat(host.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        validate(a, host.certificate());
        validate(b, host.certificate());
    }

    @Test
    void aKeyFileOthersMayReadIsRefusedAndReplaced() throws Exception {
        Path dir = root.resolve("ca");
        HostCa planted = HostCa.loadOrCreate(dir);
        Files.setPosixFilePermissions(dir.resolve(HostCa.FILE), PosixFilePermissions.fromString("rw-r--r--"));

        assertReplaced(dir, planted);
    }

    @Test
    void aKeyFileOthersMayWriteIsRefusedAndReplaced() throws Exception {
        Path dir = root.resolve("ca");
        HostCa planted = HostCa.loadOrCreate(dir);
        Files.setPosixFilePermissions(dir.resolve(HostCa.FILE), PosixFilePermissions.fromString("rw--w--w-"));

        assertReplaced(dir, planted);
    }

    @Test
    @RequiresRoot
    void aKeyFileOfAnotherOwnerIsRefusedAndReplaced() throws Exception {
        Path dir = root.resolve("ca");
        HostCa planted = HostCa.loadOrCreate(dir);
        Files.setAttribute(dir.resolve(HostCa.FILE), "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);

        assertReplaced(dir, planted);
        assertThat(Files.getAttribute(dir.resolve(HostCa.FILE), "unix:uid")).isEqualTo(0);
    }

    @Test
    void aSymbolicLinkToAValidCaIsNeverFollowed() throws Exception {
        HostCa planted = HostCa.loadOrCreate(root.resolve("elsewhere"));
        Path dir = root.resolve("ca");
        HostCa.loadOrCreate(dir);
        Files.delete(dir.resolve(HostCa.FILE));
        Files.createSymbolicLink(
                dir.resolve(HostCa.FILE), root.resolve("elsewhere").resolve(HostCa.FILE));

        assertReplaced(dir, planted);
        assertThat(Files.isSymbolicLink(dir.resolve(HostCa.FILE))).isFalse();
        assertThat(HostCa.loadOrCreate(root.resolve("elsewhere")).certificate())
                .as("the link's target is left alone")
                .isEqualTo(planted.certificate());
    }

    @Test
    void aHardLinkedKeyFileIsRefused() throws Exception {
        Path dir = root.resolve("ca");
        HostCa planted = HostCa.loadOrCreate(dir);
        Files.createLink(root.resolve("second-name"), dir.resolve(HostCa.FILE));

        assertReplaced(dir, planted);
    }

    @Test
    void aDirectoryOthersMayEnterIsRemadeAndItsKeyNotUsed() throws Exception {
        Path dir = root.resolve("ca");
        HostCa planted = HostCa.loadOrCreate(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertReplaced(dir, planted);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
    }

    @Test
    @RequiresRoot
    void aDirectoryOfAnotherOwnerIsRemadeAndItsKeyNotUsed() throws Exception {
        Path dir = root.resolve("ca");
        HostCa planted = HostCa.loadOrCreate(dir);
        Files.setAttribute(dir, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);

        assertReplaced(dir, planted);
        assertThat(Files.getAttribute(dir, "unix:uid")).isEqualTo(0);
    }

    @Test
    void aDirectoryThatIsASymbolicLinkIsReplacedAndItsTargetLeftAlone() throws Exception {
        Path elsewhere = root.resolve("elsewhere");
        HostCa planted = HostCa.loadOrCreate(elsewhere);
        Path dir = root.resolve("ca");
        Files.createSymbolicLink(dir, elsewhere);

        assertReplaced(dir, planted);
        assertThat(Files.isSymbolicLink(dir)).isFalse();
        assertThat(Files.exists(elsewhere.resolve(HostCa.FILE))).isTrue();
    }

    @Test
    void garbageOrAKeyWithoutItsCertificateIsReplaced() throws Exception {
        Path dir = root.resolve("ca");
        HostCa.loadOrCreate(dir);
        Path file = dir.resolve(HostCa.FILE);
        String pem = Files.readString(file);

        for (String content : List.of(
                "",
                "garbage",
                pem.substring(0, pem.indexOf("-----BEGIN CERTIFICATE-----")),
                pem.replace("-----BEGIN PRIVATE KEY-----\n", "-----BEGIN PRIVATE KEY-----\nAAAA"),
                pem + pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----")))) {
            Files.writeString(file, content);
            HostCa next = HostCa.loadOrCreate(dir);
            assertThat(next.created()).as(content).isTrue();
        }
    }

    @Test
    void aCertificateThatIsNoCaIsReplaced() throws Exception {
        Path dir = root.resolve("ca");
        HostCa host = HostCa.loadOrCreate(dir);
        Path file = dir.resolve(HostCa.FILE);
        String pem = Files.readString(file);
        String leaf = Pem.encode(SandboxCa.of("x", host).mintLeaf("x.test").certificate());
        Files.writeString(file, pem.substring(0, pem.indexOf("-----BEGIN CERTIFICATE-----")) + leaf);

        HostCa next = HostCa.loadOrCreate(dir);

        assertThat(next.created()).isTrue();
        assertThat(next.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    private static void assertReplaced(Path dir, HostCa planted) throws Exception {
        HostCa next = HostCa.loadOrCreate(dir);

        assertThat(next.created()).isTrue();
        assertThat(next.certificate().getPublicKey())
                .isNotEqualTo(planted.certificate().getPublicKey());
        assertThat(next.key().getEncoded()).isNotEqualTo(planted.key().getEncoded());
        Path file = dir.resolve(HostCa.FILE);
        assertThat(Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rw-------");
        assertThat(Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(1);
        assertThat(HostCa.loadOrCreate(dir).certificate())
                .as("the new CA is the one kept")
                .isEqualTo(next.certificate());
    }

    private static void validate(X509Certificate leaf, X509Certificate ca) throws Exception {
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }
}

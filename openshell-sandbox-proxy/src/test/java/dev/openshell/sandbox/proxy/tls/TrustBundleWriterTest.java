package dev.openshell.sandbox.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustBundleWriterTest {

    private static final SandboxCa CA = SandboxCa.generate("bundle-test");

    @Test
    void writesCaAndBundleReadableByAll(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("trust");
        TrustBundle files = new TrustBundleWriter().write(target, CA);

        assertThat(files.caPem()).isEqualTo(target.resolve("ca.pem"));
        assertThat(Pem.decodeAll(Files.readAllBytes(files.caPem()))).containsExactly(CA.certificate());
        List<X509Certificate> bundle = Pem.decodeAll(Files.readAllBytes(files.bundlePem()));
        assertThat(bundle).hasSize(files.systemCertificates() + 1).endsWith(CA.certificate());
        assertThat(files.systemCertificates()).isGreaterThan(10);
        for (Path p : List.of(files.caPem(), files.bundlePem())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                    .isEqualTo("rw-r--r--");
        }
        try (var listing = Files.list(target)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ca.pem", "bundle.pem");
        }
    }

    @Test
    void withoutASystemBundleTheJdkTrustStoreIsExported(@TempDir Path dir) throws Exception {
        TrustBundle files = new TrustBundleWriter(dir.resolve("missing.crt")).write(dir, CA);

        List<X509Certificate> bundle = Pem.decodeAll(Files.readAllBytes(files.bundlePem()));
        assertThat(files.systemCertificates())
                .isEqualTo(JdkTrustStore.certificates().size())
                .isGreaterThan(10);
        assertThat(bundle).hasSize(files.systemCertificates() + 1).endsWith(CA.certificate());
    }

    @Test
    void aSecondWriteReplacesTheFilesWhole(@TempDir Path dir) throws Exception {
        Path system = dir.resolve("system.crt");
        Files.writeString(system, SandboxCa.generate("pretend-system").certificatePem());
        TrustBundleWriter writer = new TrustBundleWriter(system);
        writer.write(dir.resolve("out"), CA);
        SandboxCa next = SandboxCa.generate("next");

        TrustBundle files = writer.write(dir.resolve("out"), next);

        assertThat(Pem.decodeAll(Files.readAllBytes(files.caPem()))).containsExactly(next.certificate());
        assertThat(Pem.decodeAll(Files.readAllBytes(files.bundlePem())))
                .hasSize(2)
                .endsWith(next.certificate());
    }
}

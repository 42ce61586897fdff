package dev.openshell.sandbox.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SandboxCaTest {

    private static final SandboxCa CA = SandboxCa.generate("test-1");

    @Test
    void theCaIsAnEcdsaP256CertificateAuthority() throws Exception {
        X509Certificate ca = CA.certificate();

        assertThat(ca.getSubjectX500Principal().getName()).contains("CN=OpenShell Sandbox CA test-1");
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        boolean[] usage = ca.getKeyUsage();
        assertThat(usage[5]).as("keyCertSign").isTrue();
        assertThat(usage[6]).as("cRLSign").isTrue();
        assertThat(ca.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) ca.getPublicKey())
                        .getParams()
                        .getCurve()
                        .getField()
                        .getFieldSize())
                .isEqualTo(256);
        assertThat(ca.getSigAlgName()).isEqualTo("SHA256withECDSA");
        ca.verify(ca.getPublicKey());
        assertThat(ca.getNotBefore().toInstant()).isBefore(Instant.now().minus(Duration.ofMinutes(59)));
        assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(29)));
    }

    @Test
    void aLeafNamesItsHostIsForServerAuthAndChainsToTheCa() throws Exception {
        X509Certificate leaf = CA.mintLeaf("API.Example.com.").certificate();

        assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(2, "api.example.com"));
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(Duration.between(Instant.now(), leaf.getNotAfter().toInstant()))
                .isLessThanOrEqualTo(Duration.ofDays(7));
        validate(leaf, CA.certificate());
    }

    @Test
    void ipLiteralsGetAnIpAddressName() throws Exception {
        assertThat(CA.mintLeaf("10.1.2.3").certificate().getSubjectAlternativeNames())
                .containsExactly(List.of(7, "10.1.2.3"));
        assertThat(CA.mintLeaf("[::1]").certificate().getSubjectAlternativeNames())
                .containsExactly(List.of(7, "0:0:0:0:0:0:0:1"));
    }

    @Test
    void internationalNamesAreMintedInTheirAsciiForm() throws Exception {
        assertThat(CA.mintLeaf("bücher.example").certificate().getSubjectAlternativeNames())
                .containsExactly(List.of(2, "xn--bcher-kva.example"));
    }

    @Test
    void hostileHostNamesAreRefused() {
        for (String bad : List.of(
                "", "a b", "evil.com\r\nX: y", "x,CN=evil", "a..b", "[::1", "1.2.3.999", "x".repeat(64) + ".com")) {
            assertThatThrownBy(() -> CA.mintLeaf(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aLeafDoesNotValidateAgainstAnotherCa() throws Exception {
        X509Certificate leaf = CA.mintLeaf("example.com").certificate();
        SandboxCa other = SandboxCa.generate("other");

        assertThatThrownBy(() -> validate(leaf, other.certificate())).isInstanceOf(CertPathValidatorException.class);
    }

    private static void validate(X509Certificate leaf, X509Certificate anchor) throws Exception {
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
    }
}

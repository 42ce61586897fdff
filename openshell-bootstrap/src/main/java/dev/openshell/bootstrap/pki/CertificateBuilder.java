package dev.openshell.bootstrap.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A fluent builder of X.509 certificates (EC P-256 keys, SHA-256 with ECDSA). Configure, then
 * {@link #buildSelfSigned()} a root or {@link #buildIssuedBy(CertificateBundle)} a leaf; {@link
 * #copy()} starts a variant without touching this one. Not thread-safe; the bundles it returns are
 * immutable.
 *
 * <pre>{@code
 * CertificateBundle ca = new CertificateBuilder().commonName("OpenShell gateway CA").ca().validFor(Duration.ofDays(3650)).buildSelfSigned();
 * CertificateBundle server = new CertificateBuilder().commonName("gateway").serverAuth().dnsName("localhost").ipAddress("127.0.0.1").buildIssuedBy(ca);
 * }</pre>
 */
public final class CertificateBuilder {

    private static final SecureRandom RANDOM = new SecureRandom();

    private String commonName = "openshell";
    private String organization = "OpenShell";
    private Instant notBefore;
    private Duration validity = Duration.ofDays(365);
    private boolean ca;
    private boolean serverAuth;
    private boolean clientAuth;
    private final Set<String> dnsNames = new LinkedHashSet<>();
    private final Set<String> ipAddresses = new LinkedHashSet<>();

    /** An independent builder with this one's settings. */
    public CertificateBuilder copy() {
        CertificateBuilder c = new CertificateBuilder();
        c.commonName = commonName;
        c.organization = organization;
        c.notBefore = notBefore;
        c.validity = validity;
        c.ca = ca;
        c.serverAuth = serverAuth;
        c.clientAuth = clientAuth;
        c.dnsNames.addAll(dnsNames);
        c.ipAddresses.addAll(ipAddresses);
        return c;
    }

    public CertificateBuilder commonName(String commonName) {
        this.commonName = Objects.requireNonNull(commonName, "commonName");
        return this;
    }

    public CertificateBuilder organization(String organization) {
        this.organization = Objects.requireNonNull(organization, "organization");
        return this;
    }

    /** When validity starts; default: five minutes ago (tolerates clocks slightly apart). */
    public CertificateBuilder notBefore(Instant notBefore) {
        this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
        return this;
    }

    /** How long it is valid from {@link #notBefore(Instant)}; default 365 days. */
    public CertificateBuilder validFor(Duration validity) {
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        this.validity = validity;
        return this;
    }

    /** A certificate authority: may sign certificates, not serve TLS itself. */
    public CertificateBuilder ca() {
        this.ca = true;
        return this;
    }

    /** May serve TLS (extended key usage serverAuth). */
    public CertificateBuilder serverAuth() {
        this.serverAuth = true;
        return this;
    }

    /** May authenticate a TLS client (extended key usage clientAuth). */
    public CertificateBuilder clientAuth() {
        this.clientAuth = true;
        return this;
    }

    /** A DNS subject alternative name. */
    public CertificateBuilder dnsName(String name) {
        dnsNames.add(Objects.requireNonNull(name, "name"));
        return this;
    }

    /** An IP subject alternative name ({@code 127.0.0.1}, {@code ::1}); must be a literal, never looked up. */
    public CertificateBuilder ipAddress(String literal) {
        if (!isIpLiteral(literal)) {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }
        ipAddresses.add(literal);
        return this;
    }

    /** A self-signed certificate (normally with {@link #ca()}). */
    public CertificateBundle buildSelfSigned() {
        KeyPair keys = newKeys();
        X509Certificate cert = sign(subject(), keys, subject(), keys, null);
        return new CertificateBundle(List.of(cert), keys.getPrivate());
    }

    /** A certificate signed by {@code issuer}, which must hold its private key. */
    public CertificateBundle buildIssuedBy(CertificateBundle issuer) {
        if (issuer.privateKey() == null) {
            throw new PkiException("the issuer " + issuer + " has no private key");
        }
        KeyPair keys = newKeys();
        X500Name issuerName = X500Name.getInstance(
                issuer.certificate().getSubjectX500Principal().getEncoded());
        X509Certificate cert = sign(
                subject(),
                keys,
                issuerName,
                new KeyPair(issuer.certificate().getPublicKey(), issuer.privateKey()),
                issuer);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(issuer.chain());
        return new CertificateBundle(chain, keys.getPrivate());
    }

    private X500Name subject() {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, organization)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    private X509Certificate sign(
            X500Name subject,
            KeyPair subjectKeys,
            X500Name issuer,
            KeyPair issuerKeys,
            CertificateBundle issuerBundle) {
        Instant start = notBefore != null ? notBefore : Instant.now().minus(Duration.ofMinutes(5));
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(start),
                    Date.from(start.plus(validity)),
                    subject,
                    subjectKeys.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(
                    Extension.basicConstraints, true, ca ? new BasicConstraints(0) : new BasicConstraints(false));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            b.addExtension(
                    Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuerBundle != null) {
                b.addExtension(
                        Extension.authorityKeyIdentifier,
                        false,
                        ext.createAuthorityKeyIdentifier(issuerBundle.certificate()));
            }
            List<KeyPurposeId> purposes = new ArrayList<>();
            if (serverAuth) {
                purposes.add(KeyPurposeId.id_kp_serverAuth);
            }
            if (clientAuth) {
                purposes.add(KeyPurposeId.id_kp_clientAuth);
            }
            if (!purposes.isEmpty()) {
                b.addExtension(
                        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
            }
            List<GeneralName> sans = new ArrayList<>();
            dnsNames.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
            ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!sans.isEmpty()) {
                b.addExtension(
                        Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new PkiException("cannot sign a certificate for " + commonName, e);
        }
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new PkiException("cannot generate an EC key pair", e);
        }
    }

    private static boolean isIpLiteral(String s) {
        if (s == null || s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            return false;
        }
        try {
            InetAddress.ofLiteral(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

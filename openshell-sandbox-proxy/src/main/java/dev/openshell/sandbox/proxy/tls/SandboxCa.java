package dev.openshell.sandbox.proxy.tls;

import java.math.BigInteger;
import java.net.IDN;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
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
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The certificate authority a proxy signs leaf certificates with for TLS-terminated (L7)
 * endpoints; the sandbox trusts its certificate through the bundle {@link TrustBundleWriter}
 * writes. Either the host's ({@link #of(String, HostCa)}: made once per boot, see {@link HostCa})
 * or ephemeral ({@link #generate}: the key exists only in this process). ECDSA P-256 throughout.
 *
 * <p>Nothing here costs an elliptic-curve operation until the first leaf is minted: the first
 * scalar multiplication of a JVM (tables, cold code) is a good part of a sandbox's start.
 */
public final class SandboxCa {

    private static final Duration BACKDATE = Duration.ofHours(1);
    static final Duration CA_VALIDITY = Duration.ofDays(30);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(7);

    private final String id;
    private final PrivateKey caKey;
    private final X509Certificate certificate;
    // one key for every leaf: minting then costs a signature, not a key generation; the leaf key
    // is no more exposed than the CA key that lives beside it. Made at the first mint.
    private KeyPair leafKeys;

    private SandboxCa(String id, PrivateKey caKey, X509Certificate certificate) {
        this.id = id;
        this.caKey = caKey;
        this.certificate = certificate;
    }

    /** Generates a fresh ephemeral CA named {@code CN=OpenShell Sandbox CA <id>}. */
    public static SandboxCa generate(String id) {
        Authority authority = newAuthority("OpenShell Sandbox CA " + id);
        return new SandboxCa(id, authority.key(), authority.certificate());
    }

    /** The proxy of sandbox {@code id} signing with the host's CA. */
    public static SandboxCa of(String id, HostCa host) {
        return new SandboxCa(id, host.key(), host.certificate());
    }

    /** A CA key and its self-signed certificate, valid {@link #CA_VALIDITY} from an hour ago. */
    record Authority(PrivateKey key, X509Certificate certificate) {}

    static Authority newAuthority(String commonName) {
        try {
            KeyPair caKeys = newKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, commonName)
                    .addRDN(BCStyle.O, "OpenShell")
                    .build();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            name,
                            serial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(now.plus(CA_VALIDITY)),
                            name,
                            caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(
                            Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            return new Authority(caKeys.getPrivate(), sign(b, caKeys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a CA", e);
        }
    }

    public String id() {
        return id;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return Pem.encode(certificate);
    }

    /**
     * Mints a server certificate for {@code host}: a DNS name (IDNs converted to ASCII) or an IP
     * literal (IPv6 with or without brackets). Valid for at most 7 days and never past the CA.
     *
     * @throws IllegalArgumentException when {@code host} is not a valid DNS name or IP literal
     */
    public LeafCertificate mintLeaf(String host) {
        HostName name = HostName.parse(host);
        try {
            Instant now = Instant.now();
            Instant notAfter = now.plus(LEAF_VALIDITY);
            if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
                notAfter = certificate.getNotAfter().toInstant();
            }
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
            if (name.value().length() <= 64) {
                subject.addRDN(BCStyle.CN, name.value());
            }
            KeyPair leaf = leafKeys();
            PublicKey leafPublic = leaf.getPublic();
            GeneralName san = new GeneralName(name.ip() ? GeneralName.iPAddress : GeneralName.dNSName, name.value());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                            certificate,
                            serial(),
                            Date.from(now.minus(BACKDATE)),
                            Date.from(notAfter),
                            subject.build(),
                            leafPublic)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(
                            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    // critical when the subject is empty (RFC 5280 4.2.1.6)
                    .addExtension(Extension.subjectAlternativeName, name.value().length() > 64, new GeneralNames(san))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(leafPublic))
                    .addExtension(
                            Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            return new LeafCertificate(name.value(), leaf.getPrivate(), sign(b, caKey), certificate);
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot mint a certificate for " + name.value(), e);
        }
    }

    private synchronized KeyPair leafKeys() throws GeneralSecurityException {
        if (leafKeys == null) {
            leafKeys = newKeyPair();
        }
        return leafKeys;
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), Random.INSTANCE);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, Random.INSTANCE).add(BigInteger.ONE);
    }

    /** Seeded at first use (tens of milliseconds), not when the class is loaded. */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    /** A validated, normalized host: lower-case ASCII DNS name or an IP literal without brackets. */
    record HostName(String value, boolean ip) {

        static HostName parse(String host) {
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("empty host name");
            }
            String h = host;
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            if (h.indexOf(':') >= 0 || isDottedQuad(h)) {
                try {
                    return new HostName(java.net.InetAddress.ofLiteral(h).getHostAddress(), true);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("not an IP literal: " + printable(host));
                }
            }
            if (h.endsWith(".")) {
                h = h.substring(0, h.length() - 1);
            }
            String ascii;
            try {
                ascii = IDN.toASCII(h).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a valid host name: " + printable(host));
            }
            if (!isDnsName(ascii)) {
                throw new IllegalArgumentException("not a valid host name: " + printable(host));
            }
            return new HostName(ascii, false);
        }

        /** Letters, digits, '-' and '_' (seen in real DNS) in 1..63-character labels, 253 at most. */
        private static boolean isDnsName(String s) {
            if (s.isEmpty() || s.length() > 253) {
                return false;
            }
            int label = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '.') {
                    if (label == 0) {
                        return false;
                    }
                    label = 0;
                } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                    if (++label > 63) {
                        return false;
                    }
                } else {
                    return false;
                }
            }
            return label > 0;
        }

        private static boolean isDottedQuad(String h) {
            int dots = 0;
            for (int i = 0; i < h.length(); i++) {
                char c = h.charAt(i);
                if (c == '.') {
                    dots++;
                } else if (c < '0' || c > '9') {
                    return false;
                }
            }
            return dots == 3;
        }

        private static String printable(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length() && i < 100; i++) {
                char c = s.charAt(i);
                b.append(c < 0x20 || c == 0x7f ? '?' : c);
            }
            return b.toString();
        }
    }
}

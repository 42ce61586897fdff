package dev.openshell.sandbox.proxy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throwaway certificate authority for test upstream servers (ECDSA P-256, Bouncy Castle). */
public final class TestCa {

    private final KeyPair key;
    private final X509Certificate cert;

    public TestCa(String name) {
        try {
            key = newKey();
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(
                    new X500Name("CN=" + name),
                    BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                    Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(1, ChronoUnit.DAYS)),
                    new X500Name("CN=" + name),
                    key.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            cert = new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate certificate() {
        return cert;
    }

    /** A server context for the given DNS names and IP addresses, signed by this CA. */
    public SslContext serverContext(String... names) {
        try {
            KeyPair leafKey = newKey();
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(
                    cert,
                    BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                    Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(1, ChronoUnit.DAYS)),
                    new X500Name("CN=" + names[0]),
                    leafKey.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            for (String n : names) {
                boolean ip = n.chars().allMatch(c -> c == '.' || Character.isDigit(c)) || n.contains(":");
                sans.add(
                        ip
                                ? new GeneralName(
                                        GeneralName.iPAddress,
                                        InetAddress.ofLiteral(n).getHostAddress())
                                : new GeneralName(GeneralName.dNSName, n));
            }
            builder.addExtension(
                    Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate leaf = new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
            return SslContextBuilder.forServer(leafKey.getPrivate(), leaf, cert).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context trusting only this CA. */
    public SslContext clientContext() {
        try {
            return SslContextBuilder.forClient().trustManager(cert).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the CA certificate as PEM. */
    public Path writePem(Path file) {
        try (StringWriter s = new StringWriter();
                JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(cert);
            w.flush();
            Files.writeString(file, s.toString());
            return file;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair newKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }
}

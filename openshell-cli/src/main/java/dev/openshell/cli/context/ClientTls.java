package dev.openshell.cli.context;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.support.CliErrors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context of a registered gateway, from its PEM files with the JDK alone (no Bouncy
 * Castle on the path of every command: it costs start-up time). Keys are PKCS#8, which is how
 * {@code openshell gateway add} stores whatever it was given.
 */
final class ClientTls {

    private static final char[] PASSWORD = "openshell".toCharArray();

    private ClientTls() {}

    /**
     * Trusts only {@code caFile}'s certificates (the system's when it is null) and presents the
     * certificate and key when both are given.
     */
    static SSLContext context(Path caFile, Path certFile, Path keyFile) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (caFile == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (X509Certificate c : certificates(caFile)) {
                    trust.setCertificateEntry("ca" + i++, c);
                }
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (certFile != null && keyFile != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                List<X509Certificate> chain = certificates(certFile);
                keys.setKeyEntry("client", privateKey(keyFile), PASSWORD, chain.toArray(Certificate[]::new));
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, PASSWORD);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw CliErrors.of(
                    ErrorCode.TLS_FAILED,
                    "cannot build the TLS context of the gateway: " + e.getMessage(),
                    "register the gateway again (openshell gateway add, or openshell gateway start for a local one)");
        }
    }

    static List<X509Certificate> certificates(Path file) {
        try {
            byte[] pem = Files.readAllBytes(file);
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            List<X509Certificate> out =
                    certs.stream().map(X509Certificate.class::cast).toList();
            if (out.isEmpty()) {
                throw new GeneralSecurityException("no certificate in it");
            }
            return out;
        } catch (NoSuchFileException e) {
            throw missing(file);
        } catch (IOException | GeneralSecurityException e) {
            throw CliErrors.of(
                    ErrorCode.TLS_FAILED,
                    file + " holds no readable PEM certificate: " + e.getMessage(),
                    "register the gateway again with a PEM certificate file");
        }
    }

    static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw missing(file);
        } catch (IOException e) {
            throw CliErrors.of(
                    ErrorCode.TLS_FAILED, "cannot read " + file + ": " + e.getMessage(), "check its permissions");
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        int from = text.indexOf(begin);
        int to = text.indexOf("-----END PRIVATE KEY-----");
        if (from < 0 || to < from) {
            throw CliErrors.of(
                    ErrorCode.TLS_FAILED,
                    file + " holds no PKCS#8 private key (BEGIN PRIVATE KEY)",
                    "register the gateway again: openshell gateway add converts other key formats");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        for (String algorithm : List.of("EC", "RSA", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw CliErrors.of(
                ErrorCode.TLS_FAILED,
                file + " holds a private key of an unsupported kind (EC, RSA and Ed25519 are)",
                "register the gateway again with an EC, RSA or Ed25519 key");
    }

    private static RuntimeException missing(Path file) {
        return CliErrors.of(
                ErrorCode.TLS_FAILED,
                file + " is missing",
                "register the gateway again (openshell gateway add, or openshell gateway start for a local one)");
    }
}

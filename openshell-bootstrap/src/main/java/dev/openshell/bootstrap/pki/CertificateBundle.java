package dev.openshell.bootstrap.pki;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate, its private key and the chain up to (and including) its root: what {@link
 * CertificateBuilder} makes and {@link PemFiles} reads back. Immutable. Exports PEM, a PKCS#12
 * {@link KeyStore}, and the JSSE factories a TLS server or client needs.
 *
 * @param chain the certificate first, its issuer next, ..., the root last (one element for a root)
 * @param privateKey the certificate's key; null for a trust-only bundle (a CA read without its key)
 */
public record CertificateBundle(List<X509Certificate> chain, PrivateKey privateKey) {

    /** The password of the in-memory key stores this bundle exports; they are never written to disk. */
    private static final char[] STORE_PASSWORD = "openshell".toCharArray();

    public CertificateBundle {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a bundle needs a certificate");
        }
    }

    /** The bundle's own certificate. */
    public X509Certificate certificate() {
        return chain.getFirst();
    }

    /** The last certificate of the chain. */
    public X509Certificate root() {
        return chain.getLast();
    }

    /** The same bundle without its private key, for handing out as trust. */
    public CertificateBundle withoutKey() {
        return new CertificateBundle(chain, null);
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** Whether the certificate is valid at {@code now} and still will be {@code margin} later. */
    public boolean isValidFor(Instant now, Duration margin) {
        return !now.isBefore(certificate().getNotBefore().toInstant())
                && now.plus(margin).isBefore(notAfter());
    }

    /** Whether {@code issuer} signed this bundle's certificate. */
    public boolean isIssuedBy(CertificateBundle issuer) {
        try {
            certificate().verify(issuer.certificate().getPublicKey());
            return certificate()
                    .getIssuerX500Principal()
                    .equals(issuer.certificate().getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The certificate chain as PEM, the certificate first. */
    public String certificatePem() {
        return Pem.certificates(chain);
    }

    /** The private key as PKCS#8 PEM. */
    public String privateKeyPem() {
        return Pem.privateKey(requireKey());
    }

    /** A PKCS#12 key store holding the key and chain under {@code alias} (password {@link #storePassword()}). */
    public KeyStore toKeyStore(String alias) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, requireKey(), STORE_PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (Exception e) {
            throw new PkiException("cannot build a key store for " + subject(), e);
        }
    }

    /** A key store trusting this bundle's root. */
    public KeyStore toTrustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("ca", root());
            return store;
        } catch (Exception e) {
            throw new PkiException("cannot build a trust store for " + subject(), e);
        }
    }

    /** The password of the stores this bundle exports (in memory only). */
    public char[] storePassword() {
        return STORE_PASSWORD.clone();
    }

    public KeyManagerFactory keyManagerFactory() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(toKeyStore("key"), STORE_PASSWORD);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build a key manager for " + subject(), e);
        }
    }

    /** Trust in this bundle's root, and nothing else. */
    public TrustManagerFactory trustManagerFactory() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(toTrustStore());
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build a trust manager for " + subject(), e);
        }
    }

    /**
     * A TLS context presenting this bundle (when it has a key) and trusting {@code trust}'s root:
     * for a client, the gateway's CA.
     */
    public SSLContext sslContext(CertificateBundle trust) {
        Objects.requireNonNull(trust, "trust");
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(
                    privateKey == null ? null : keyManagerFactory().getKeyManagers(),
                    trust.trustManagerFactory().getTrustManagers(),
                    null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build a TLS context for " + subject(), e);
        }
    }

    private String subject() {
        return certificate().getSubjectX500Principal().getName();
    }

    private PrivateKey requireKey() {
        if (privateKey == null) {
            throw new PkiException("the bundle for " + subject() + " has no private key");
        }
        return privateKey;
    }

    /** The key is left out. */
    @Override
    public String toString() {
        return "CertificateBundle[" + subject() + ", until " + notAfter() + (privateKey == null ? "" : ", with key")
                + "]";
    }
}

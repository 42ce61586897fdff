package dev.openshell.sandbox.proxy.tls;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/** PEM encoding and decoding of X.509 certificates. */
public final class Pem {

    private Pem() {}

    /** One {@code CERTIFICATE} block, newline-terminated. */
    public static String encode(X509Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    /** Every certificate in a PEM bundle (text between blocks, such as comments, is ignored). */
    public static List<X509Certificate> decodeAll(byte[] pem) throws CertificateException {
        Collection<? extends java.security.cert.Certificate> all =
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        List<X509Certificate> out = new ArrayList<>(all.size());
        for (java.security.cert.Certificate c : all) {
            out.add((X509Certificate) c);
        }
        return out;
    }
}

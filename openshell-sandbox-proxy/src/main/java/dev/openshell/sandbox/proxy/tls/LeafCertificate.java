package dev.openshell.sandbox.proxy.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * A server certificate minted for one host by the sandbox CA.
 *
 * @param host the normalized host name or IP literal the certificate names
 * @param privateKey the leaf's key
 * @param certificate the leaf
 * @param issuer the sandbox CA certificate that signed it
 */
public record LeafCertificate(
        String host, PrivateKey privateKey, X509Certificate certificate, X509Certificate issuer) {}

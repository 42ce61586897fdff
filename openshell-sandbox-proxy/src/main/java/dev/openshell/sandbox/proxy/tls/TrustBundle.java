package dev.openshell.sandbox.proxy.tls;

import java.nio.file.Path;

/**
 * Files a sandbox points its tools at to trust the proxy.
 *
 * @param caPem the sandbox CA alone
 * @param bundlePem the system CAs plus the sandbox CA ({@code SSL_CERT_FILE}, {@code CURL_CA_BUNDLE},
 *     {@code NODE_EXTRA_CA_CERTS} and friends)
 * @param systemCertificates how many system CAs the bundle carries
 */
public record TrustBundle(Path caPem, Path bundlePem, int systemCertificates) {}

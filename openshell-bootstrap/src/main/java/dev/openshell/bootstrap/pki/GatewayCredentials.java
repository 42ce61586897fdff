package dev.openshell.bootstrap.pki;

import java.nio.file.Path;

/**
 * A gateway's TLS material: its CA, the server certificate it presents, and the client
 * certificate the CLI presents (and the directory holding the CLI's copy).
 *
 * @param clientBundleDir {@code ca.crt}, {@code tls.crt}, {@code tls.key}: what {@code openshell
 *     gateway} copies into its configuration
 */
public record GatewayCredentials(
        CertificateBundle ca, CertificateBundle server, CertificateBundle client, Path clientBundleDir) {}

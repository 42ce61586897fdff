package dev.openshell.cli.context;

import dev.openshell.api.SafeText;
import dev.openshell.bootstrap.pki.CertificateBundle;
import dev.openshell.bootstrap.pki.PemFiles;
import dev.openshell.bootstrap.pki.PkiException;
import dev.openshell.cli.support.CliErrors;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies a gateway's credentials into its registry directory: the CA ({@code mtls/ca.crt}), the
 * client certificate and key ({@code mtls/tls.crt}, {@code mtls/tls.key}, 0600, the key rewritten
 * as PKCS#8 whatever PEM form it came in), or an API token ({@code token}, 0600). Inputs are
 * parsed before anything is written, so a wrong file is refused with its name.
 */
public final class StoredCredentials {

    private final GatewayRegistry registry;

    public StoredCredentials(GatewayRegistry registry) {
        this.registry = registry;
    }

    public void importClientCertificate(String name, Path ca, Path cert, Path key) {
        CertificateBundle trust = ca == null ? null : read(ca, null, "--ca");
        CertificateBundle client = read(cert, key, "--cert/--key");
        Path dir = registry.mtlsDir(name);
        GatewayRegistry.createPrivateDirs(dir);
        if (trust != null) {
            PemFiles.write(trust.withoutKey(), dir.resolve("ca.crt"), null);
        }
        PemFiles.write(client, dir.resolve("tls.crt"), dir.resolve("tls.key"));
    }

    public void importToken(String name, Path ca, String token) {
        if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw CliErrors.usage(
                    "the API token is empty or not visible ASCII",
                    "pass the token as openshell gateway token create printed it");
        }
        if (ca != null) {
            CertificateBundle trust = read(ca, null, "--ca");
            Path dir = registry.mtlsDir(name);
            GatewayRegistry.createPrivateDirs(dir);
            PemFiles.write(trust.withoutKey(), dir.resolve("ca.crt"), null);
        }
        registry.writeFile(registry.tokenFile(name), token + "\n", GatewayRegistry.SECRET);
    }

    /**
     * Copies the client bundle a local gateway wrote ({@code ca.crt}, {@code tls.crt}, {@code
     * tls.key}) when it differs from the registered copy (first start, or certificates renewed).
     */
    public void copyBundle(String name, Path bundleDir) {
        Path dir = registry.mtlsDir(name);
        GatewayRegistry.createPrivateDirs(dir);
        for (String file : new String[] {"ca.crt", "tls.crt", "tls.key"}) {
            Path from = bundleDir.resolve(file);
            Path to = dir.resolve(file);
            try {
                if (!Files.exists(to) || Files.mismatch(from, to) != -1) {
                    registry.writeFile(
                            to,
                            Files.readString(from),
                            file.endsWith(".key") ? GatewayRegistry.SECRET : GatewayRegistry.PUBLIC);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot copy " + from + ": " + e.getMessage(), e);
            }
        }
    }

    private static CertificateBundle read(Path cert, Path key, String flag) {
        try {
            return PemFiles.read(cert, key);
        } catch (PkiException e) {
            throw CliErrors.usage(
                    flag + ": " + SafeText.oneLine(e.getMessage(), 300),
                    "give PEM files (the gateway's client bundle)");
        }
    }
}

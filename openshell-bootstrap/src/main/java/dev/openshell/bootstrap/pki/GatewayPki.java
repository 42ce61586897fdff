package dev.openshell.bootstrap.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Makes a gateway's PKI in a directory, or reuses what is there while it stays valid: a CA (10
 * years), a server certificate (1 year; SANs {@code localhost}, {@code 127.0.0.1}, {@code ::1},
 * the host's names and any extra names), and a client certificate for the CLI (1 year). A
 * certificate that expires within {@link Options#renewWithin()}, no longer chains to the CA, or
 * (server) lacks a wanted name is issued again; a new CA reissues both leaves.
 *
 * <p>Layout under {@code dir}: {@code ca.crt}, {@code ca.key}, {@code server.crt}, {@code
 * server.key}, {@code client.crt}, {@code client.key}, and {@code client/} with {@code ca.crt},
 * {@code tls.crt}, {@code tls.key} for the CLI. Keys are 0600.
 */
public final class GatewayPki {

    /** How certificates are made and when they are renewed. */
    public record Options(
            Collection<String> extraNames,
            Duration caValidity,
            Duration leafValidity,
            Duration renewWithin,
            Clock clock) {

        public static Options defaults() {
            return new Options(
                    List.of(), Duration.ofDays(3650), Duration.ofDays(365), Duration.ofDays(30), Clock.systemUTC());
        }

        public Options withExtraNames(Collection<String> names) {
            return new Options(List.copyOf(names), caValidity, leafValidity, renewWithin, clock);
        }

        public Options withRenewWithin(Duration renewWithin) {
            return new Options(extraNames, caValidity, leafValidity, renewWithin, clock);
        }

        public Options withLeafValidity(Duration leafValidity) {
            return new Options(extraNames, caValidity, leafValidity, renewWithin, clock);
        }
    }

    private GatewayPki() {}

    /** The gateway's credentials in {@code dir}, made or renewed as needed. */
    public static GatewayCredentials ensure(Path dir, Options options) {
        var now = options.clock().instant();
        Path caCrt = dir.resolve("ca.crt");
        Path caKey = dir.resolve("ca.key");
        CertificateBundle ca = readIfPresent(caCrt, caKey);
        boolean newCa = ca == null || !ca.isValidFor(now, options.renewWithin());
        if (newCa) {
            ca = new CertificateBuilder()
                    .commonName("OpenShell gateway CA")
                    .ca()
                    .validFor(options.caValidity())
                    .buildSelfSigned();
            PemFiles.write(ca, caCrt, caKey);
        }

        Set<String> names = serverNames(options.extraNames());
        Path serverCrt = dir.resolve("server.crt");
        Path serverKey = dir.resolve("server.key");
        CertificateBundle server = newCa ? null : readIfPresent(serverCrt, serverKey);
        if (server == null
                || !server.isValidFor(now, options.renewWithin())
                || !server.isIssuedBy(ca)
                || !subjectAltNames(server.certificate()).containsAll(canonical(names))) {
            CertificateBuilder b = new CertificateBuilder()
                    .commonName("openshell-gateway")
                    .serverAuth()
                    .validFor(options.leafValidity());
            for (String name : names) {
                if (isIpLiteral(name)) {
                    b.ipAddress(name);
                } else {
                    b.dnsName(name);
                }
            }
            server = b.buildIssuedBy(ca);
            PemFiles.write(server, serverCrt, serverKey);
        }

        Path clientCrt = dir.resolve("client.crt");
        Path clientKey = dir.resolve("client.key");
        CertificateBundle client = newCa ? null : readIfPresent(clientCrt, clientKey);
        Path bundleDir = dir.resolve("client");
        if (client == null || !client.isValidFor(now, options.renewWithin()) || !client.isIssuedBy(ca)) {
            client = new CertificateBuilder()
                    .commonName("openshell-cli")
                    .clientAuth()
                    .validFor(options.leafValidity())
                    .buildIssuedBy(ca);
            PemFiles.write(client, clientCrt, clientKey);
        }
        if (newCa
                || !Files.exists(bundleDir.resolve("tls.key"))
                || !sameFile(clientCrt, bundleDir.resolve("tls.crt"))) {
            PemFiles.writeRoot(ca, bundleDir.resolve("ca.crt"));
            PemFiles.write(client, bundleDir.resolve("tls.crt"), bundleDir.resolve("tls.key"));
        }
        return new GatewayCredentials(ca, server, client, bundleDir);
    }

    /** {@code localhost}, {@code 127.0.0.1}, {@code ::1}, this host's names, then {@code extra}, lower-case. */
    static Set<String> serverNames(Collection<String> extra) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName().toLowerCase(Locale.ROOT));
            names.add(local.getCanonicalHostName().toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            // A host without a resolvable name is served by the loopback names only.
        }
        extra.forEach(n -> names.add(n.toLowerCase(Locale.ROOT)));
        names.removeIf(String::isBlank);
        return names;
    }

    private static Set<String> subjectAltNames(X509Certificate cert) {
        Set<String> out = new HashSet<>();
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    String value = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
                    out.add(isIpLiteral(value) ? canonicalIp(value) : value);
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return out;
    }

    private static Set<String> canonical(Set<String> names) {
        Set<String> out = new HashSet<>();
        names.forEach(n -> out.add(isIpLiteral(n) ? canonicalIp(n) : n));
        return out;
    }

    private static CertificateBundle readIfPresent(Path crt, Path key) {
        if (!Files.isRegularFile(crt) || !Files.isRegularFile(key)) {
            return null;
        }
        try {
            return PemFiles.read(crt, key);
        } catch (PkiException e) {
            return null; // damaged: made anew
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isRegularFile(b) && Files.mismatch(a, b) == -1;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static boolean isIpLiteral(String s) {
        return !s.isEmpty()
                && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')
                && (s.indexOf(':') >= 0 || s.chars().filter(c -> c == '.').count() == 3);
    }

    private static String canonicalIp(String literal) {
        try {
            return InetAddress.ofLiteral(literal).getHostAddress();
        } catch (IllegalArgumentException e) {
            return literal;
        }
    }
}

package dev.openshell.cli.gateway;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.cli.GlobalOptions;
import dev.openshell.cli.OpenShellCli;
import dev.openshell.cli.VersionProvider;
import dev.openshell.cli.context.GatewayConnector;
import dev.openshell.cli.context.GatewayEntry;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.context.StoredCredentials;
import dev.openshell.cli.output.Output;
import dev.openshell.cli.support.CliErrors;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code openshell gateway add URL [--name N] [--ca F] (--cert F --key F | --token T)}: registers a gateway that runs elsewhere. */
@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        versionProvider = VersionProvider.class,
        description = {
            "Register a gateway that runs elsewhere and make it the active one.",
            "Authenticate with a client certificate from the gateway's CA (--cert, --key) or an API token (--token).",
            "The credentials are copied under the configuration directory (keys and tokens 0600) and checked"
                    + " against the gateway unless --no-verify."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  openshell gateway add https://gw.example.com:8443 --name prod --ca ca.crt --cert tls.crt --key tls.key",
            "  openshell gateway add https://gw.example.com:8443 --name ci --ca ca.crt --token - < token.txt"
        })
public final class GatewayAddCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URL", description = "The gateway's https:// address.")
    private String url;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "Name to register it under (default: from the host name).")
    private String name;

    @Option(
            names = "--ca",
            paramLabel = "FILE",
            description = "The gateway's CA certificate (PEM); default: the system's trust store.")
    private Path ca;

    @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (PEM) issued by the gateway's CA.")
    private Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "The client certificate's private key (PEM).")
    private Path key;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "API token (openshell gateway token create); - reads it from standard input.")
    private String token;

    @Option(names = "--no-verify", description = "Register without checking that the gateway accepts the credentials.")
    private boolean noVerify;

    @Mixin
    private GlobalOptions globals;

    @Override
    public Integer call() {
        URI endpoint = endpoint(url);
        String gatewayName = name != null ? name : defaultName(endpoint);
        GatewayRegistry registry = OpenShellCli.of(spec).registry();
        GatewayEntry.Auth auth = auth();
        if (registry.find(gatewayName).isPresent()) {
            throw CliErrors.of(
                    ErrorCode.ALREADY_EXISTS,
                    "a gateway named " + gatewayName + " is registered already",
                    "choose another --name, or remove it first: openshell gateway destroy " + gatewayName);
        }
        GatewayEntry entry = new GatewayEntry(gatewayName, endpoint, auth, null, null, Instant.now());
        StoredCredentials credentials = new StoredCredentials(registry);
        try {
            if (auth == GatewayEntry.Auth.MTLS) {
                credentials.importClientCertificate(gatewayName, ca, cert, key);
            } else {
                credentials.importToken(gatewayName, ca, readToken());
            }
            registry.save(entry);
            if (!noVerify) {
                verify(registry, entry);
            }
        } catch (RuntimeException e) {
            registry.remove(gatewayName);
            throw e;
        }
        registry.activate(gatewayName);
        new Output(spec, globals).text("gateway " + gatewayName + " added (" + endpoint + ") and selected\n");
        return 0;
    }

    private GatewayEntry.Auth auth() {
        boolean certificate = cert != null || key != null;
        if (certificate && token != null) {
            throw CliErrors.usage(
                    "--token and --cert/--key exclude each other",
                    "authenticate with a client certificate or a token, not both");
        }
        if (certificate && (cert == null || key == null)) {
            throw CliErrors.usage("--cert and --key go together", "give both the client certificate and its key");
        }
        if (!certificate && token == null) {
            throw CliErrors.usage(
                    "no credentials given",
                    "give --cert and --key (a client certificate of the gateway's CA) or --token");
        }
        return certificate ? GatewayEntry.Auth.MTLS : GatewayEntry.Auth.TOKEN;
    }

    private String readToken() {
        if (!token.equals("-")) {
            return token;
        }
        try {
            return new String(
                            OpenShellCli.of(spec).stdin().readNBytes(4096), java.nio.charset.StandardCharsets.US_ASCII)
                    .strip();
        } catch (java.io.IOException e) {
            throw CliErrors.usage("cannot read the token from standard input: " + e.getMessage(), "pipe the token in");
        }
    }

    /** Asks the gateway who we are; a 403 still proves the credentials (the token just lacks sandbox:read). */
    private static void verify(GatewayRegistry registry, GatewayEntry entry) {
        try (GatewayClient gw = new GatewayConnector(registry).connect(entry, GatewayConnector.REQUEST_TIMEOUT)) {
            gw.info();
        } catch (ApiException e) {
            if (e.code() != ErrorCode.FORBIDDEN) {
                throw CliErrors.of(
                        e.code(),
                        "the gateway at " + entry.endpoint() + " did not accept these credentials: " + e.getMessage(),
                        e.code() == ErrorCode.GATEWAY_UNREACHABLE
                                ? "check the URL, or register it anyway with --no-verify"
                                : e.hint());
            }
        }
    }

    static URI endpoint(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw CliErrors.usage(
                    SafeText.quote(url) + " is not a URL: " + e.getReason(), "give the gateway's https:// address");
        }
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("https") || uri.getHost() == null) {
            throw CliErrors.usage(
                    SafeText.quote(url) + " is not an https:// URL with a host", "give the gateway's https:// address");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw CliErrors.usage(
                    "the gateway URL must not carry a user, query or fragment", "give just https://host:port");
        }
        return uri;
    }

    /** {@code gw.example.com} becomes {@code gw-example-com}. */
    static String defaultName(URI endpoint) {
        String n = endpoint.getHost()
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-+|-+$", "");
        if (n.length() > 63) {
            n = n.substring(0, 63).replaceAll("-+$", "");
        }
        return n.isEmpty() ? "gateway" : n;
    }
}

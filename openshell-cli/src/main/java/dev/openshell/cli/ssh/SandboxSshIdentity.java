package dev.openshell.cli.ssh;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.sandbox.SshAccess;
import dev.openshell.cli.context.GatewayRegistry;
import dev.openshell.cli.support.CliErrors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.Set;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * This CLI's SSH identity for one sandbox of one gateway, under the gateway's context directory
 * ({@code <config>/gateways/<gw>/ssh/<sandbox>/}): a client key pair made on first use ({@code
 * id_ecdsa}, 0600, in 0700 directories; only its public half ever leaves this host) and a {@code
 * known_hosts} that pins the sandbox SSH server's host key under the alias {@code openshell-NAME}.
 * {@link #authorize} lets the key in through the gateway (mTLS-authenticated) and writes the host
 * key the gateway vouches for, so OpenSSH checks it strictly with no prompt.
 */
public final class SandboxSshIdentity {

    /** ECDSA P-256: every JDK makes it without extra providers and every OpenSSH accepts it. */
    private static final String KEY_TYPE = KeyPairProvider.ECDSA_SHA2_NISTP256;

    private static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private final GatewayRegistry registry;
    private final String gateway;
    private final String sandbox;

    public SandboxSshIdentity(GatewayRegistry registry, String gateway, String sandbox) {
        GatewayRegistry.requireName(sandbox);
        this.registry = registry;
        this.gateway = gateway;
        this.sandbox = sandbox;
    }

    /** The name OpenSSH knows the sandbox by: {@code openshell-NAME}. */
    public String alias() {
        return "openshell-" + sandbox;
    }

    public String sandbox() {
        return sandbox;
    }

    public String gateway() {
        return gateway;
    }

    public Path directory() {
        return registry.dir(gateway).resolve("ssh").resolve(sandbox);
    }

    public Path privateKey() {
        return directory().resolve("id_ecdsa");
    }

    public Path knownHosts() {
        return directory().resolve("known_hosts");
    }

    /**
     * Makes the key pair if there is none, lets it into the sandbox and pins the host key the
     * gateway reports; returns the user to log in as.
     */
    public String authorize(GatewayClient client) {
        KeyPair pair = loadOrCreate();
        String publicLine = PublicKeyEntry.toString(pair.getPublic()) + " openshell-cli";
        SshAccess access = client.sandboxes().authorizeSshKey(sandbox, publicLine);
        if (access.hostKey() == null || access.hostKey().isBlank()) {
            throw CliErrors.of(
                    ErrorCode.INTERNAL, "the gateway sent no host key for " + sandbox, "try again; see openshell logs");
        }
        registry.writeFile(
                knownHosts(),
                alias() + " " + access.hostKey().strip().lines().findFirst().orElse("") + "\n",
                PUBLIC);
        return access.user() == null ? "sandbox" : access.user();
    }

    private KeyPair loadOrCreate() {
        Path file = privateKey();
        try {
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
                            null, NamedResource.ofName(file.toString()), in, FilePasswordProvider.EMPTY);
                    Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
                    if (it != null && it.hasNext()) {
                        return it.next();
                    }
                }
            }
            KeyPair pair = KeyUtils.generateKeyPair(KEY_TYPE, 256);
            ByteArrayOutputStream encoded = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "openshell-cli", null, encoded);
            registry.writeFile(file, encoded.toString(StandardCharsets.UTF_8), SECRET);
            registry.writeFile(
                    file.resolveSibling("id_ecdsa.pub"),
                    PublicKeyEntry.toString(pair.getPublic()) + " openshell-cli\n",
                    PUBLIC);
            return pair;
        } catch (IOException | GeneralSecurityException e) {
            throw CliErrors.of(
                    ErrorCode.INTERNAL,
                    "cannot read or make the SSH key " + file + ": " + e.getMessage(),
                    "remove " + directory() + " to make a new one");
        }
    }
}

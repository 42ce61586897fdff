package dev.openshell.sandbox.ssh;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Where a sandbox's SSH server listens and the key files to reach it, as the server writes them
 * into {@code <state dir>/ssh/}: {@code client_key} (0600, OpenSSH format), {@code client_key.pub},
 * {@code host_key.pub}, {@code known_hosts}, {@code endpoint} ({@code HOST PORT}) and
 * {@code ssh_config}.
 *
 * @param host the loopback address the server is bound to
 * @param port its port
 * @param directory the directory holding the key files
 */
public record SshEndpoint(String host, int port, Path directory) {

    static final String ENDPOINT = "endpoint";
    static final String CLIENT_KEY = "client_key";
    static final String HOST_KEY = "host_key";
    static final String KNOWN_HOSTS = "known_hosts";
    static final String SSH_CONFIG = "ssh_config";

    public SshEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(directory, "directory");
        if (port <= 0 || port > 65535) {
            throw new SshException(ErrorCode.SSH_ENDPOINT_INVALID, "port out of range: " + port);
        }
    }

    /** The endpoint recorded in {@code directory} (a running server's {@code <state dir>/ssh}). */
    public static SshEndpoint read(Path directory) {
        try {
            List<String> fields = List.of(Files.readString(directory.resolve(ENDPOINT), StandardCharsets.UTF_8)
                    .strip()
                    .split("\\s+"));
            if (fields.size() != 2) {
                throw new SshException(ErrorCode.SSH_ENDPOINT_INVALID, "malformed " + directory.resolve(ENDPOINT));
            }
            return new SshEndpoint(fields.get(0), Integer.parseInt(fields.get(1)), directory);
        } catch (IOException | NumberFormatException e) {
            throw new SshException(
                    ErrorCode.SSH_ENDPOINT_INVALID, "cannot read " + directory.resolve(ENDPOINT) + ": " + e, e);
        }
    }

    /** The client's private key file (owner-only). */
    public Path clientKeyFile() {
        return directory.resolve(CLIENT_KEY);
    }

    /** The server's public host key file. */
    public Path hostKeyFile() {
        return directory.resolve(HOST_KEY + ".pub");
    }

    /** An OpenSSH {@code known_hosts} file naming only this server. */
    public Path knownHostsFile() {
        return directory.resolve(KNOWN_HOSTS);
    }

    /** The server's public host key. */
    public PublicKey hostKey() {
        try {
            String line =
                    Files.readString(hostKeyFile(), StandardCharsets.UTF_8).strip();
            return PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, null);
        } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new SshException(ErrorCode.SSH_ENDPOINT_INVALID, "cannot read " + hostKeyFile() + ": " + e, e);
        }
    }

    /** The {@code known_hosts} name of this server: {@code [host]:port}. */
    String knownHostsName() {
        return "[" + host + "]:" + port;
    }

    /** An OpenSSH client configuration block for {@code ssh ALIAS}, {@code scp} is not supported (no SFTP). */
    public String sshConfig(String alias) {
        return String.join(
                "\n",
                "Host " + alias,
                "  HostName " + host,
                "  Port " + port,
                "  User sandbox",
                "  IdentityFile " + clientKeyFile(),
                "  IdentitiesOnly yes",
                "  UserKnownHostsFile " + knownHostsFile(),
                "  StrictHostKeyChecking yes",
                "  PasswordAuthentication no",
                "");
    }
}

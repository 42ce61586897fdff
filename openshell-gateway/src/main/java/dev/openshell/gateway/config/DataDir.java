package dev.openshell.gateway.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * The gateway's data directory (mode 0700): {@code gateway.db} (SQLite), {@code gateway.key}
 * (the master secret, 0600, made on first start), {@code tls/}, {@code logs/}.
 */
@Component
public final class DataDir {

    private static final int KEY_BYTES = 32;

    private final Path root;
    private final byte[] masterKey;

    public DataDir(GatewayProperties properties) {
        this.root = properties.dataDir();
        try {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            Files.createDirectories(root.resolve("logs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + root + ": " + e.getMessage(), e);
        }
        this.masterKey = loadOrCreateKey(root.resolve("gateway.key"));
    }

    public Path root() {
        return root;
    }

    public Path sqliteFile() {
        return root.resolve("gateway.db");
    }

    /** The master secret the provider-credential and page-token keys derive from. */
    public byte[] masterKey() {
        return masterKey.clone();
    }

    private static byte[] loadOrCreateKey(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[KEY_BYTES];
                new SecureRandom().nextBytes(key);
                try {
                    Files.createFile(
                            file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
                } catch (FileAlreadyExistsException raced) {
                    // another start made it first: read theirs
                }
            }
            var mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
            if (!mode.endsWith("------")) {
                throw new IllegalStateException("the key file " + file + " has mode " + mode
                        + "; it holds the key of every stored credential: chmod 600 it");
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file).strip());
            if (key.length != KEY_BYTES) {
                throw new IllegalStateException("the key file " + file + " is damaged (" + key.length + " bytes)");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key file " + file + ": " + e.getMessage(), e);
        }
    }
}

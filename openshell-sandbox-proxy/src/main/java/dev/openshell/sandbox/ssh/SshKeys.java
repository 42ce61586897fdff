package dev.openshell.sandbox.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
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
 * Reading and writing the per-sandbox key files (OpenSSH formats, so {@code ssh -i} and
 * {@code known_hosts} work too). Private keys and their directory are created owner-only
 * (0600 / 0700) from the start, never loosened afterwards.
 */
final class SshKeys {

    /** ECDSA P-256: supported by every JDK and every OpenSSH, no extra provider needed. */
    static final String KEY_TYPE = KeyPairProvider.ECDSA_SHA2_NISTP256;

    private static final int KEY_BITS = 256;
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private SshKeys() {}

    /** The key pair in {@code file}, generated and written there first if the file does not exist. */
    static KeyPair loadOrCreate(Path file, String comment) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        KeyPair pair;
        try {
            pair = KeyUtils.generateKeyPair(KEY_TYPE, KEY_BITS);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an " + KEY_TYPE + " key: " + e.getMessage(), e);
        }
        writePrivate(file, pair, comment);
        return pair;
    }

    /** Reads an unencrypted OpenSSH private key file. */
    static KeyPair load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
                    null, NamedResource.ofName(file.toString()), in, FilePasswordProvider.EMPTY);
            Iterator<KeyPair> iterator = pairs == null ? null : pairs.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new IOException("no key in " + file);
            }
            return iterator.next();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the key in " + file + ": " + e.getMessage(), e);
        }
    }

    static void writePrivate(Path file, KeyPair pair, String comment) throws IOException {
        createPrivateDirectory(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try (OutputStream out = Files.newOutputStream(
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)),
                StandardOpenOption.WRITE)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode the key for " + file + ": " + e.getMessage(), e);
        }
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code type base64 comment}, the one-line public key format. */
    static String publicLine(PublicKey key, String comment) {
        return PublicKeyEntry.toString(key) + (comment.isEmpty() ? "" : " " + comment);
    }

    static void writeText(Path file, String text) throws IOException {
        createPrivateDirectory(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
    }
}

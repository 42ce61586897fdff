package dev.openshell.cli.remote;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Accepts a host only when its key is in the user's known_hosts file (plain or hashed entries,
 * {@code [host]:port} for other ports). An unknown key and a key that differs from the one recorded
 * are both refused and remembered, so the caller can say which and how to accept it; the file is
 * never written (a host is never trusted on first use behind the user's back).
 */
final class HostKeyCheck {

    /** Why a host key was refused. */
    record Rejection(boolean changed, String keyType, String fingerprint, Path knownHosts) {}

    private final Path knownHosts;
    private final AtomicReference<Rejection> rejection = new AtomicReference<>();

    HostKeyCheck(Path knownHosts) {
        this.knownHosts = knownHosts;
    }

    ServerKeyVerifier verifier() {
        ServerKeyVerifier unknown = (session, address, key) -> reject(false, key);
        KnownHostsServerKeyVerifier known = new KnownHostsServerKeyVerifier(unknown, knownHosts);
        known.setModifiedServerKeyAcceptor((session, address, entry, expected, actual) -> reject(true, actual));
        return known;
    }

    /** The refusal of the last connection, if its key was refused. */
    Rejection rejection() {
        return rejection.get();
    }

    Path knownHosts() {
        return knownHosts;
    }

    private boolean reject(boolean changed, PublicKey key) {
        rejection.set(new Rejection(changed, KeyUtils.getKeyType(key), KeyUtils.getFingerPrint(key), knownHosts));
        return false;
    }
}

package dev.openshell.gateway.db;

import dev.openshell.gateway.config.DataDir;
import dev.openshell.gateway.config.Keys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Encrypts what must not sit in the database in the clear (provider credentials, sandbox
 * environments, a token create's stored answer): AES-256-GCM under a key derived from the data
 * directory's key file, a random 96-bit nonce per value, and the column's purpose as associated
 * data so a value cannot be moved to another column. Also keyed hashes ({@link #fingerprint}).
 */
@Component
public final class Sealer {

    private static final String VERSION = "v1:";
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final SecretKeySpec fingerprintKey;

    public Sealer(DataDir dataDir) {
        byte[] master = dataDir.masterKey();
        this.key = new SecretKeySpec(Keys.derive(master, "sealed-columns"), "AES");
        this.fingerprintKey = new SecretKeySpec(Keys.derive(master, "fingerprints"), "HmacSHA256");
    }

    public String seal(String plaintext, String purpose) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return VERSION
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(NONCE + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt", e);
        }
    }

    public String open(String sealed, String purpose) {
        if (sealed == null || !sealed.startsWith(VERSION)) {
            throw new IllegalStateException("a sealed value is damaged or of an unknown version");
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(VERSION.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(all, NONCE, all.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "a sealed value cannot be decrypted: damaged, or the data directory's gateway.key was replaced", e);
        }
    }

    /** A keyed hash (HMAC-SHA256, hex): compares bodies without storing anything a guess could be checked against. */
    public String fingerprint(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(fingerprintKey);
            return java.util.HexFormat.of().formatHex(mac.doFinal(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

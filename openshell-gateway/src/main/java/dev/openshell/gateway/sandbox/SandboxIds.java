package dev.openshell.gateway.sandbox;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Ids ({@code sbx-} and 16 hex digits) and generated names ({@code sandbox-} and 8 of {@code a-z0-9}). */
final class SandboxIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private SandboxIds() {}

    static String newId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return "sbx-" + HexFormat.of().formatHex(b);
    }

    static String newName() {
        StringBuilder sb = new StringBuilder("sandbox-");
        for (int i = 0; i < 8; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}

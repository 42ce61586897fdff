package dev.openshell.gateway.web;

import dev.openshell.api.ApiException;
import dev.openshell.gateway.config.DataDir;
import dev.openshell.gateway.config.Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Opaque, tamper-proof page tokens: the position in a list (the last key of the page) bound to
 * the list and its filter, with an HMAC under a key derived from the gateway's master secret. A
 * token edited, forged, or taken from another list or filter is a 400 naming {@code page_token}.
 * Tokens survive a restart (the key does).
 */
@Component
public final class PageTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAC_BYTES = 16;
    private static final int MAX_TOKEN = 2048;

    private final SecretKeySpec key;
    /** One initialised Mac per thread: looking one up in the providers is most of a token's cost. */
    private final ThreadLocal<Mac> macs;

    public PageTokens(DataDir dataDir) {
        this.key = new SecretKeySpec(Keys.derive(dataDir.masterKey(), "page-tokens"), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            return hmac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token resuming {@code list} (its name and filter) after {@code position}. */
    public String encode(String list, String position) {
        byte[] payload = position.getBytes(StandardCharsets.UTF_8);
        byte[] mac = mac(list, payload);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac);
    }

    /** The position a token names, if it is a valid token of {@code list}. */
    public String decode(String list, String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN) {
            throw invalid();
        }
        int dot = token.indexOf('.');
        if (dot < 0) {
            throw invalid();
        }
        try {
            byte[] payload = DECODER.decode(token.substring(0, dot));
            byte[] mac = DECODER.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(mac, mac(list, payload))) {
                throw invalid();
            }
            return new String(payload, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private byte[] mac(String list, byte[] payload) {
        Mac hmac = macs.get();
        // doFinal resets it for the next token.
        hmac.update(list.getBytes(StandardCharsets.UTF_8));
        hmac.update((byte) 0);
        return Arrays.copyOf(hmac.doFinal(payload), MAC_BYTES);
    }

    private static ApiException invalid() {
        return ApiException.invalid(
                "page_token", "is not a page token of this list and filter (pass next_page_token unchanged)");
    }
}

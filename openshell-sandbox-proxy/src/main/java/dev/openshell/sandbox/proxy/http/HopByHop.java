package dev.openshell.sandbox.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Removes hop-by-hop headers (RFC 9110 section 7.6.1) when a message crosses the proxy. */
public final class HopByHop {

    private HopByHop() {}

    /**
     * Strips connection-specific headers. An upgrade request keeps {@code Connection: upgrade} and
     * {@code Upgrade} so that WebSockets can be relayed.
     */
    public static void strip(HttpMessage message) {
        HttpHeaders h = message.headers();
        boolean upgrade = isUpgrade(h);
        List<String> listed = new ArrayList<>();
        for (String value : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : value.split(",")) {
                String t = token.strip().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    listed.add(t);
                }
            }
        }
        for (String name : listed) {
            boolean framing = name.equals("transfer-encoding") || name.equals("content-length") || name.equals("host");
            if (!framing && !(upgrade && name.equals("upgrade"))) {
                h.remove(name);
            }
        }
        h.remove(HttpHeaderNames.CONNECTION);
        h.remove(HttpHeaderNames.KEEP_ALIVE);
        h.remove(HttpHeaderNames.PROXY_CONNECTION);
        h.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        h.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
        h.remove(HttpHeaderNames.TE);
        h.remove(HttpHeaderNames.TRAILER);
        if (upgrade) {
            h.set(HttpHeaderNames.CONNECTION, "upgrade");
        } else {
            h.remove(HttpHeaderNames.UPGRADE);
        }
    }

    /** Whether the message asks to switch protocols ({@code Connection: upgrade} plus {@code Upgrade}). */
    public static boolean isUpgrade(HttpHeaders h) {
        return h.contains(HttpHeaderNames.UPGRADE) && h.containsValue(HttpHeaderNames.CONNECTION, "upgrade", true);
    }
}

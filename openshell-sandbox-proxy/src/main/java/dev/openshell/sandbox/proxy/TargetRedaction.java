package dev.openshell.sandbox.proxy;

/** Removes query values from a request target before it is logged: {@code /s?q=secret} becomes {@code /s?q=*}. */
public final class TargetRedaction {

    private TargetRedaction() {}

    public static String redact(String target) {
        if (target == null) {
            return null;
        }
        int q = target.indexOf('?');
        if (q < 0) {
            return target;
        }
        StringBuilder out = new StringBuilder(target.length()).append(target, 0, q + 1);
        String[] params = target.substring(q + 1).split("&", -1);
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                out.append('&');
            }
            int eq = params[i].indexOf('=');
            out.append(eq < 0 ? params[i] : params[i].substring(0, eq)).append("=*");
        }
        return out.toString();
    }

    /** The path without any query, as shown to users in denials. */
    public static String pathOnly(String target) {
        if (target == null) {
            return null;
        }
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }
}

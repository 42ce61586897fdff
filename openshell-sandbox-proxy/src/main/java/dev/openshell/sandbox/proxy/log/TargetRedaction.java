package dev.openshell.sandbox.proxy.log;

/** What of a request target may be shown: denials show the path only (the log uses {@code QueryRedaction}). */
public final class TargetRedaction {

    private TargetRedaction() {}

    /** The path without any query, as shown to users in denials. */
    public static String pathOnly(String target) {
        if (target == null) {
            return null;
        }
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }
}

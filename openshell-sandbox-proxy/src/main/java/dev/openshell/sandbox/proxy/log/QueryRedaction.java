package dev.openshell.sandbox.proxy.log;

/** Keeps the shape of a request target for the log while hiding query values (tokens, keys). */
public final class QueryRedaction {

    private QueryRedaction() {}

    /**
     * Replaces every query parameter value with {@code *}, keeping names and order:
     * {@code /search?q=secret&page=2&flag} becomes {@code /search?q=*&page=*&flag}. A fragment is
     * dropped. Null stays null; a target without a query is returned unchanged.
     */
    public static String redactQuery(String target) {
        if (target == null) {
            return null;
        }
        int hash = target.indexOf('#');
        String t = hash >= 0 ? target.substring(0, hash) : target;
        int q = t.indexOf('?');
        if (q < 0) {
            return t;
        }
        StringBuilder b = new StringBuilder(t.length());
        b.append(t, 0, q + 1);
        int start = q + 1;
        while (start <= t.length()) {
            int end = t.indexOf('&', start);
            if (end < 0) {
                end = t.length();
            }
            int eq = t.indexOf('=', start);
            if (eq >= 0 && eq < end) {
                b.append(t, start, eq).append("=*");
            } else {
                b.append(t, start, end);
            }
            if (end < t.length()) {
                b.append('&');
            }
            start = end + 1;
        }
        return b.toString();
    }
}

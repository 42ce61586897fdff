package dev.openshell.policy.match;

/**
 * An endpoint host as written in a policy: an exact name (or IP literal), {@code *.suffix}
 * (exactly one more label) or {@code **.suffix} (one or more labels). Neither wildcard matches
 * the suffix itself. Hosts passed to {@link #matches} must already be normalised (see {@link
 * RequestHost}).
 */
public final class HostPattern {

    /** How a pattern matches. */
    public enum Kind {
        EXACT,
        ONE_LABEL,
        ANY_DEPTH
    }

    private final String text;
    private final Kind kind;
    private final String suffix;
    private final String dotSuffix;

    private HostPattern(String text, Kind kind, String suffix) {
        this.text = text;
        this.kind = kind;
        this.suffix = suffix;
        this.dotSuffix = "." + suffix;
    }

    /** Parses a policy host (already validated and normalised by the parser). */
    public static HostPattern of(String host) {
        String h = host.toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("**.")) {
            return new HostPattern(h, Kind.ANY_DEPTH, h.substring(3));
        }
        if (h.startsWith("*.")) {
            return new HostPattern(h, Kind.ONE_LABEL, h.substring(2));
        }
        return new HostPattern(h, Kind.EXACT, h);
    }

    public Kind kind() {
        return kind;
    }

    /** For wildcards the part after {@code *.} / {@code **.}; for exact patterns the host. */
    public String suffix() {
        return suffix;
    }

    /** Whether the normalised host matches. */
    public boolean matches(String host) {
        return switch (kind) {
            case EXACT -> host.equals(suffix);
            case ONE_LABEL ->
                host.length() > dotSuffix.length()
                        && host.endsWith(dotSuffix)
                        && host.lastIndexOf('.', host.length() - dotSuffix.length() - 1) < 0;
            case ANY_DEPTH -> host.length() > dotSuffix.length() && host.endsWith(dotSuffix);
        };
    }

    @Override
    public String toString() {
        return text;
    }
}

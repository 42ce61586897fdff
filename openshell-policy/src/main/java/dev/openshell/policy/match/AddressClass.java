package dev.openshell.policy.match;

/** What kind of destination an IP address is, as far as the destination guard cares. */
public enum AddressClass {
    LOOPBACK("a loopback address", true),
    LINK_LOCAL("a link-local (cloud metadata) address", true),
    METADATA("a cloud metadata address", true),
    UNSPECIFIED("an unspecified address", true),
    MULTICAST("a multicast address", true),
    BROADCAST("a broadcast address", true),
    /** RFC 1918, CGNAT, unique-local IPv6 and benchmarking ranges: allowed only via {@code allowed_ips}. */
    PRIVATE("a private address", false),
    PUBLIC("a public address", false);

    private final String description;
    private final boolean alwaysDenied;

    AddressClass(String description, boolean alwaysDenied) {
        this.description = description;
        this.alwaysDenied = alwaysDenied;
    }

    /** Words for reasons, e.g. "a loopback address". */
    public String description() {
        return description;
    }

    /** Whether no policy can allow a connection to such an address. */
    public boolean alwaysDenied() {
        return alwaysDenied;
    }
}

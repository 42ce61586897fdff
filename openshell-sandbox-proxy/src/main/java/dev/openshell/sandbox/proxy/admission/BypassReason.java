package dev.openshell.sandbox.proxy.admission;

import java.util.Locale;

/**
 * Why a captured connection was rejected: the {@code <reason>} of its decision rule {@code
 * bypass:<reason>}. These are parts of a decision rule, not error codes: the client gets a reset,
 * a TLS alert or the 403 denial, never one of these names.
 */
public enum BypassReason {
    /** The connection sent nothing within the wait (a server-speaks-first protocol such as SSH or SMTP). */
    SILENT,
    /** The first bytes started a ClientHello or request head but did not complete it within the wait. */
    INCOMPLETE,
    /** The client closed before its first bytes named a destination (a port probe, say). */
    CLOSED_EARLY,
    /** Neither a TLS ClientHello nor an HTTP/1.x request. */
    UNKNOWN_PROTOCOL,
    /** A ClientHello without a server name. */
    NO_SNI,
    /** A malformed ClientHello. */
    BAD_CLIENT_HELLO,
    /** A server name or Host that is not a valid host name. */
    INVALID_NAME,
    /** The name does not resolve. */
    UNRESOLVABLE,
    /** The name does not resolve to the address connected to (SNI or Host spoofing). */
    NAME_MISMATCH,
    /** The calling program could not be identified. */
    IDENTITY,
    /** The policy does not admit the attributed connection. */
    POLICY_DENIED,
    /** The connection's original destination could not be recovered. */
    NO_ORIGINAL_DESTINATION;

    /** As the rule spells it: {@code no_sni}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

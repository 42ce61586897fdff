/**
 * Transparent capture: the proxy's second listener, for TCP connections the sandbox firewall
 * redirected because they ignored the proxy settings.
 *
 * <p>{@link dev.openshell.sandbox.proxy.transparent.TransparentListener} binds it; for each
 * connection {@code CaptureHandler} recovers the original destination and starts identifying the
 * caller, then holds the first bytes until they name a destination ({@code ClientHelloSni}, {@code
 * HttpHostHead}). {@code CaptureAdmission} evaluates the policy exactly as for a {@code CONNECT}
 * (the original destination as the only address) and, only for a connection it admits, checks
 * that the name resolves to the address actually connected to (no SNI or Host spoofing; a name
 * the policy does not admit is never looked up); {@code CapturedConnection} refuses, relays, or hands the connection to the L7
 * inspection of {@link dev.openshell.sandbox.proxy.l7.L7Inspector}. Rejections are logged as
 * {@code bypass:<reason>} findings ({@code Bypass}).
 */
package dev.openshell.sandbox.proxy.transparent;

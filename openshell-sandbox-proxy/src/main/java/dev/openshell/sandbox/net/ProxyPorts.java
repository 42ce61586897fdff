package dev.openshell.sandbox.net;

/**
 * The proxy's two TCP ports on the sandbox's host-side address.
 *
 * @param explicit where the agent's {@code HTTP(S)_PROXY} points; the only port it may connect to
 *     directly
 * @param transparent where the firewall redirects every other TCP connection; the proxy recovers
 *     the original destination with {@link dev.openshell.sandbox.linux.OriginalDestination}
 */
public record ProxyPorts(int explicit, int transparent) {

    /** {@code 3128} and {@code 3129}: every sandbox has its own address, so ports never clash. */
    public static final ProxyPorts DEFAULT = new ProxyPorts(3128, 3129);

    public ProxyPorts {
        requirePort("explicit", explicit);
        requirePort("transparent", transparent);
        if (explicit == transparent) {
            throw new IllegalArgumentException("the explicit and transparent proxy ports must differ: " + explicit);
        }
    }

    private static void requirePort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " proxy port " + port + " is outside 1..65535");
        }
    }
}

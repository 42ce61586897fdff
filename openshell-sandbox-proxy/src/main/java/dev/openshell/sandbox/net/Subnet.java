package dev.openshell.sandbox.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One sandbox's /30 inside {@code 10.200.0.0/16}: index {@code N} in {@code 0..16383} covers
 * {@code 10.200.(N/64).(N%64*4)/30}; the host (proxy) side is {@code .1}, the agent side {@code .2}.
 * The veth ends are {@code osh<N>h} (host namespace) and {@code osh<N>s} (sandbox namespace), at
 * most 10 characters, well within the kernel's 15.
 *
 * @param index the /30's position in {@code 10.200.0.0/16}
 */
public record Subnet(int index) {

    /** How many /30s fit in {@code 10.200.0.0/16}. */
    public static final int COUNT = 1 << 14;

    public static final int PREFIX_LENGTH = 30;

    /**
     * Every sandbox subnet: the host ends of the veths and the agents' own addresses. No sandbox's
     * proxy may connect into it (to the host, or to another sandbox's agent).
     */
    public static final String POOL = "10.200.0.0/16";

    public Subnet {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("subnet index " + index + " is outside 0.." + (COUNT - 1));
        }
    }

    /** The supervisor/proxy side, the agent's default gateway: {@code 10.200.x.y+1}. */
    public Inet4Address hostAddress() {
        return address(1);
    }

    /** The agent side: {@code 10.200.x.y+2}. */
    public Inet4Address sandboxAddress() {
        return address(2);
    }

    /** The network in CIDR notation, e.g. {@code 10.200.0.4/30}. */
    public String cidr() {
        return address(0).getHostAddress() + "/" + PREFIX_LENGTH;
    }

    /** The veth end in the host namespace, where the firewall rules match. */
    public String hostInterface() {
        return "osh" + index + "h";
    }

    /** The veth end moved into the sandbox namespace. */
    public String sandboxInterface() {
        return "osh" + index + "s";
    }

    private Inet4Address address(int offset) {
        int host = index * 4 + offset;
        byte[] octets = {10, (byte) 200, (byte) (host >>> 8), (byte) host};
        try {
            return (Inet4Address) InetAddress.getByAddress(octets);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 octets are always an address", e);
        }
    }
}

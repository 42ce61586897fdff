package dev.openshell.cli.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a remote host offers a gateway, as {@link RemoteHostProbe} found it: the login's uid and
 * home, the address the SSH connection arrived on there, the machine type, the Java runtimes it
 * found (with their {@code -version} line), where {@code ip}, {@code nft} and {@code sha256sum}
 * are, and whether it has network namespaces and the memory and pids cgroup controllers.
 */
public record RemoteHostFacts(
        int uid,
        String home,
        String serverAddress,
        String machine,
        String kernel,
        List<Java> javas,
        Map<String, String> tools,
        boolean networkNamespaces,
        boolean cgroups) {

    /** The Java major release the gateway needs. */
    public static final int JAVA_RELEASE = 25;

    private static final Pattern VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");

    /** A Java runtime on the host: its (resolved) {@code java} and the first line of {@code java -version}. */
    public record Java(String path, String versionLine) {

        /** The major release ({@code 17}, {@code 25}), or 0 when the line says none. */
        public int release() {
            Matcher m = VERSION.matcher(versionLine);
            return m.find() ? Integer.parseInt(m.group(2)) : 0;
        }
    }

    public RemoteHostFacts {
        javas = List.copyOf(javas);
        tools = Map.copyOf(tools);
    }

    /** The first Java runtime of at least {@link #JAVA_RELEASE}. */
    public Optional<Java> java() {
        return javas.stream().filter(j -> j.release() >= JAVA_RELEASE).findFirst();
    }

    /** Each missing prerequisite, one line with what to install or change. */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        if (!"Linux".equals(kernel)) {
            out.add("Linux: the host runs " + kernel + "; gateways with the local driver run on Linux only");
        }
        if (!"x86_64".equals(machine)) {
            out.add("x86_64: the host is " + machine + "; the sandbox launcher is built for x86_64 only");
        }
        if (java().isEmpty()) {
            String found = javas.isEmpty()
                    ? "no java found ($JAVA_HOME, PATH, /usr/lib/jvm)"
                    : "found only "
                            + String.join(
                                    ", ",
                                    javas.stream()
                                            .map(j -> j.path() + " ("
                                                    + (j.release() > 0 ? "Java " + j.release() : "unknown version")
                                                    + ")")
                                            .toList());
            out.add("Java " + JAVA_RELEASE + ": " + found + "; install a Java " + JAVA_RELEASE
                    + " JDK there (Debian/Ubuntu: apt-get install -y temurin-25-jdk from https://adoptium.net/installation/linux)"
                    + " or set JAVA_HOME for SSH sessions");
        }
        if (uid != 0) {
            out.add("root: logged in as uid " + uid
                    + "; the local driver creates network namespaces and firewall rules:"
                    + " log in as root (root@host)");
        }
        if (!tools.containsKey("ip")) {
            out.add("ip: not installed; apt-get install -y iproute2");
        }
        if (!tools.containsKey("nft")) {
            out.add("nft: not installed; apt-get install -y nftables");
        }
        if (!tools.containsKey("sha256sum")) {
            out.add("sha256sum: not installed; apt-get install -y coreutils");
        }
        if (!cgroups) {
            out.add("cgroups: no memory and pids controllers mounted; mount cgroup v2 with them (or the cgroup v1"
                    + " memory and pids hierarchies)");
        }
        if (!networkNamespaces) {
            out.add("network namespaces: /proc/self/ns/net is missing; boot a kernel with CONFIG_NET_NS");
        }
        return List.copyOf(out);
    }
}

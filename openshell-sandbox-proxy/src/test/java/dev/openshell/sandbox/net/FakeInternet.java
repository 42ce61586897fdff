package dev.openshell.sandbox.net;

import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.linux.NetworkNamespaceThread;
import dev.openshell.testkit.Capabilities;
import dev.openshell.testkit.Require;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Upstream servers for tests that live in a network namespace of their own, reached from the host
 * over a veth pair: a small "internet" that is not the host. The proxy refuses every address of the
 * host's own interfaces (loopback included), so test servers cannot sit on the host.
 *
 * <p>Each instance claims an index {@code k} (0..255): namespace {@code osh-fi-k}, transit link
 * {@code 10.201.k.0/30} (host end {@code .1}, namespace end {@code .2}). {@link #address} puts an
 * address on the namespace's loopback and routes it from the host through the veth, so a host
 * process (the proxy) connects to it like to any remote server. Servers are created with {@link
 * #inside}: a socket made on a thread inside the namespace belongs to it for its whole life.
 *
 * <p>Needs root, {@code ip}; without them the calling test is skipped with the reason (failed under
 * CI, see {@code openshell-testkit}). Closing
 * deletes the namespace (its veth and the host's routes through it go with it). Namespaces left
 * by a killed test JVM are removed by the next {@link #open} (claims: {@code /run/osh-fake-internet-k.pid}).
 */
public final class FakeInternet implements AutoCloseable {

    private static final Path CLAIMS = Path.of("/run");
    private static final String CLAIM_PREFIX = "osh-fake-internet-";
    private static final int SLOTS = 256;
    /** How long {@link #address} waits for another run to release an address. */
    private static final java.time.Duration ADDRESS_WAIT = java.time.Duration.ofMinutes(5);

    private final int index;
    private final String namespace;
    private final String hostVeth;
    private final List<String> routed = new ArrayList<>();
    private NetworkNamespaceThread thread;

    private FakeInternet(int index) {
        this.index = index;
        this.namespace = "osh-fi-" + index;
        this.hostVeth = "ofi" + index + "h";
    }

    /** Creates a fresh fake internet; without root or {@code ip}, see {@link Require#missing}. */
    public static FakeInternet open() {
        // Test servers never sit on the host: the proxy refuses the host's own addresses.
        Capabilities.root()
                .or(() -> Capabilities.tool("ip"))
                .ifPresent(missing -> Require.missing("a fake-internet network namespace " + missing));
        try {
            reclaimStale();
            for (int k = 0; k < SLOTS; k++) {
                Path claim = claimFile(k);
                try {
                    Files.writeString(
                            claim,
                            String.valueOf(ProcessHandle.current().pid()),
                            java.nio.file.StandardOpenOption.CREATE_NEW,
                            java.nio.file.StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) {
                    continue;
                }
                FakeInternet internet = new FakeInternet(k);
                try {
                    internet.create();
                    return internet;
                } catch (RuntimeException | IOException e) {
                    internet.close();
                    throw e;
                }
            }
            throw new IllegalStateException("all " + SLOTS + " fake-internet slots are taken ");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a fake internet: " + e.getMessage(), e);
        }
    }

    private void create() throws IOException {
        String nsVeth = "ofi" + index + "n";
        ip("netns", "add", namespace);
        ip("link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth);
        ip("link", "set", nsVeth, "netns", namespace);
        ip("addr", "add", "10.201." + index + ".1/30", "dev", hostVeth);
        ip("link", "set", hostVeth, "up");
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", namespace, "addr", "add", "10.201." + index + ".2/30", "dev", nsVeth);
        ip("-n", namespace, "link", "set", nsVeth, "up");
        ip("-n", namespace, "route", "add", "default", "via", "10.201." + index + ".1");
        thread = NetworkNamespaceThread.enter(Path.of("/var/run/netns", namespace));
    }

    /** The namespace's name, for {@code ip netns exec}. */
    public String namespace() {
        return namespace;
    }

    /** The host's end of the transit link: an address of the host (the proxy must refuse it). */
    public String hostSideAddress() {
        return "10.201." + index + ".1";
    }

    /**
     * An address of this internet for an upstream server, {@code 10.93.<index>.1}: one of its own,
     * so runs with other internets do not wait for each other's routes.
     */
    public String upstreamAddress() {
        return address("10.93." + index + ".1");
    }

    /**
     * Puts {@code ip} (IPv4) on the host's end of the transit link: one more address of the host
     * (the proxy must refuse it), removed with this internet. Returns {@code ip}.
     */
    public String addHostAddress(String ip) {
        ip("addr", "add", ip + "/32", "dev", hostVeth);
        return ip;
    }

    /**
     * Makes {@code ip} (IPv4) an address of this internet: assigned inside, routed there from the
     * host. Returns {@code ip}. While the host routes it elsewhere (another test run, perhaps from
     * another checkout, uses the same address) it waits for that run to end, up to {@link
     * #ADDRESS_WAIT}, then fails.
     */
    public String address(String ip) {
        if (routed.contains(ip)) {
            return ip;
        }
        ip("-n", namespace, "addr", "add", ip + "/32", "dev", "lo");
        // Jittered retries, so two runs waiting for the same address do not retry in lockstep.
        await("the route to " + ip + ", which another test run holds")
                .atMost(ADDRESS_WAIT)
                .pollDelay(java.time.Duration.ZERO)
                .pollInterval((count, previous) -> java.time.Duration.ofMillis(
                        500 + java.util.concurrent.ThreadLocalRandom.current().nextInt(1000)))
                .until(() -> route(ip));
        routed.add(ip);
        return ip;
    }

    /** Routes {@code ip} into this internet; false while another run routes it ("File exists"). */
    private boolean route(String ip) {
        try {
            ip("route", "add", ip + "/32", "via", "10.201." + index + ".2", "dev", hostVeth);
            return true;
        } catch (NetworkException e) {
            if (!e.getMessage().contains("File exists")) {
                throw e;
            }
            System.out.println("FakeInternet: " + ip + " is routed by another test run; waiting");
            return false;
        }
    }

    /** Runs {@code task} on a thread inside the namespace: sockets it creates (servers) live there. */
    public <T> T inside(Callable<T> task) {
        try {
            return thread.call(task);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command inside the namespace to completion. */
    public InNamespace run(String... command) {
        return InNamespace.run(namespace, command);
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.close();
        }
        deleteNamespace(index);
    }

    private static void deleteNamespace(int index) {
        // Deleting the namespace destroys its veth end, which takes the host's end and routes along.
        runQuietly("ip", "netns", "delete", "osh-fi-" + index);
        runQuietly("ip", "link", "delete", "ofi" + index + "h");
        try {
            Files.deleteIfExists(claimFile(index));
        } catch (IOException e) {
            // the claim is reclaimed by the next open once this JVM is gone
        }
    }

    private static void reclaimStale() throws IOException {
        try (var claims = Files.list(CLAIMS)) {
            for (Path claim : claims.toList()) {
                String name = claim.getFileName().toString();
                if (!name.startsWith(CLAIM_PREFIX) || !name.endsWith(".pid")) {
                    continue;
                }
                long owner;
                try {
                    owner = Long.parseLong(
                            Files.readString(claim, StandardCharsets.UTF_8).strip());
                } catch (NumberFormatException | NoSuchFileException e) {
                    owner = -1;
                }
                if (owner > 0 && ProcessHandle.of(owner).isPresent()) {
                    continue;
                }
                deleteNamespace(Integer.parseInt(name.substring(CLAIM_PREFIX.length(), name.length() - 4)));
            }
        }
    }

    private static Path claimFile(int index) {
        return CLAIMS.resolve(CLAIM_PREFIX + index + ".pid");
    }

    private static void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        HostCommand.run(command, null);
    }

    private static void runQuietly(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

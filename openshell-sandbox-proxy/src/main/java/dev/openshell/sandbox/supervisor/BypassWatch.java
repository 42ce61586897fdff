package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.net.FirewallCounters;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Turns the sandbox firewall's counters into findings: every poll that sees them rise logs one
 * event naming what rose. A rejected packet is a bypass attempt the proxy never saw (UDP, DNS,
 * connections to the host side); a redirected connection ignored the proxy settings and was
 * captured for transparent policing. Polling costs one {@code nft} process, hence a few seconds
 * between polls; {@link #poll()} runs once more at teardown so nothing goes unreported.
 */
final class BypassWatch implements AutoCloseable {

    private final Supplier<FirewallCounters> counters;
    private final Consumer<String> findings;
    private final Thread poller;
    private FirewallCounters last = new FirewallCounters(0, 0, 0, 0);

    BypassWatch(Supplier<FirewallCounters> counters, Duration interval, Consumer<String> findings) {
        this.counters = counters;
        this.findings = findings;
        this.poller = Thread.ofVirtual().name("sandbox-bypass-watch").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                poll();
            }
        });
    }

    /** Reads the counters and reports what rose since the last poll. */
    synchronized void poll() {
        FirewallCounters now;
        try {
            now = counters.get();
        } catch (RuntimeException e) {
            return; // the table is gone (teardown) or nft failed once; the next poll tries again
        }
        StringBuilder what = new StringBuilder();
        append(what, now.rejectedTcpPackets() - last.rejectedTcpPackets(), "rejected TCP packets");
        append(what, now.rejectedUdpPackets() - last.rejectedUdpPackets(), "rejected UDP packets");
        append(what, now.rejectedOtherPackets() - last.rejectedOtherPackets(), "rejected other packets");
        append(
                what,
                now.redirectedConnections() - last.redirectedConnections(),
                "connections that ignored the proxy settings (captured)");
        last = now;
        if (!what.isEmpty()) {
            findings.accept("finding: bypass attempt: " + what);
        }
    }

    private static void append(StringBuilder what, long delta, String label) {
        if (delta > 0) {
            if (!what.isEmpty()) {
                what.append(", ");
            }
            what.append(label).append(": ").append(delta);
        }
    }

    @Override
    public void close() {
        poller.interrupt();
        try {
            poller.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops polling, then reports what happened since the last poll: it still counts. */
    void stopAndReport() {
        try {
            close();
        } finally {
            poll();
        }
    }
}

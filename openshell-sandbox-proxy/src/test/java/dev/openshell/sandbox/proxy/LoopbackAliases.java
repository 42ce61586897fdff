package dev.openshell.sandbox.proxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Adds non-loopback addresses to {@code lo} for test upstream servers (the proxy refuses loopback
 * destinations). Needs root; without it the calling test is skipped with the reason.
 */
public final class LoopbackAliases implements AutoCloseable {

    private final List<String> added = new ArrayList<>();

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Adds {@code ip}/32 to lo (skipping the test when not root). */
    public String add(String ip) {
        Assumptions.assumeTrue(
                isRoot(), "needs root to add " + ip + "/32 to lo (the proxy never connects to loopback)");
        if (run("ip", "addr", "add", ip + "/32", "dev", "lo") == 0) {
            added.add(ip);
        }
        return ip;
    }

    @Override
    public void close() {
        for (String ip : added) {
            run("ip", "addr", "del", ip + "/32", "dev", "lo");
        }
        added.clear();
    }

    private static int run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}

package dev.openshell.cli.support;

import dev.openshell.gateway.it.RunningGateway;
import dev.openshell.gateway.support.TempDirs;
import java.util.Map;

/**
 * Two real gateways in the test JVM, started once and shared by the tests that need one: HTTPS on
 * ephemeral loopback ports with their own CAs (real mTLS), SQLite, and the gateway's {@code
 * ProcessTestDriver} (sandboxes are plain local processes, so exec really runs). Tests keep to
 * sandboxes of their own names and delete them.
 */
public final class LiveGateways {

    private static RunningGateway alpha;
    private static RunningGateway beta;

    private LiveGateways() {}

    public static synchronized RunningGateway alpha() {
        if (alpha == null) {
            alpha = start("openshell-cli-it-alpha");
        }
        return alpha;
    }

    public static synchronized RunningGateway beta() {
        if (beta == null) {
            beta = start("openshell-cli-it-beta");
        }
        return beta;
    }

    private static RunningGateway start(String prefix) {
        RunningGateway gw = RunningGateway.start(
                TempDirs.create(prefix),
                null,
                Map.of(
                        // A policy wait that ends before the CLI's own --timeout in tests.
                        "openshell.gateway.limits.policy-wait-timeout", "5s",
                        "logging.level.root", "WARN"));
        Runtime.getRuntime().addShutdownHook(new Thread(gw::close));
        return gw;
    }
}

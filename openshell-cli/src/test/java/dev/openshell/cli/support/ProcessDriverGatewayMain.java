package dev.openshell.cli.support;

import dev.openshell.gateway.it.RunningGateway;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real gateway with the test driver (sandboxes as plain local processes) for {@code
 * bench/cli-bench.sh}, which times CLI commands that need a running sandbox before the local
 * driver exists: {@code ProcessDriverGatewayMain DATA_DIR} prints {@code gateway-url=URL} on a line of its own and serves
 * until killed.
 */
public final class ProcessDriverGatewayMain {

    private ProcessDriverGatewayMain() {}

    public static void main(String[] args) throws InterruptedException {
        RunningGateway gw = RunningGateway.start(Path.of(args[0]), null, Map.of("logging.level.root", "WARN"));
        System.out.println("gateway-url=" + gw.url());
        System.out.flush();
        Thread.currentThread().join();
    }
}

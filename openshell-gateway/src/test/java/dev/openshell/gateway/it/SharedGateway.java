package dev.openshell.gateway.it;

import dev.openshell.gateway.support.TempDirs;

/** One gateway shared by the ITs that need no restart (starting one takes seconds on a busy 2-core machine). */
final class SharedGateway {

    private static RunningGateway gateway;

    private SharedGateway() {}

    static synchronized RunningGateway get() {
        if (gateway == null) {
            gateway = RunningGateway.start(TempDirs.create("openshell-gateway-it"));
            Runtime.getRuntime().addShutdownHook(new Thread(gateway::close));
        }
        return gateway;
    }
}

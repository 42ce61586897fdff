package dev.openshell.sandbox.net;

import java.nio.file.Path;

/** A process that creates a sandbox network and waits to be killed (run by {@link SandboxNetworkIT}). */
public final class StaleOwner {

    private StaleOwner() {}

    public static void main(String[] args) throws InterruptedException {
        SandboxNetwork network = SandboxNetwork.create(args[0], ProxyPorts.DEFAULT, Path.of(args[1]));
        System.out.println("ready " + network.subnet().index());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

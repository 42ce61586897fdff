package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.net.FakeInternet;
import dev.openshell.sandbox.proxy.TestCa;
import dev.openshell.sandbox.proxy.TestUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Queue;
import java.util.UUID;

/**
 * An HTTPS test upstream for a supervisor IT: an address in a {@link FakeInternet}, a server whose certificate names {@code names}, and its CA written under
 * {@link SandboxFixture#IT_STATE} for the sandbox spec to trust. Closing removes all three, and the
 * IT state directory once nothing else is left in it.
 */
final class SandboxUpstream implements AutoCloseable {

    private final FakeInternet internet = FakeInternet.open();
    private final TestUpstream server;
    private final Path caPem;

    SandboxUpstream(String ip, String... names) throws IOException {
        internet.address(ip);
        TestCa ca = new TestCa("supervisor-it-upstream");
        server = internet.inside(() -> new TestUpstream(ip, ca.serverContext(names)));
        Files.createDirectories(SandboxFixture.IT_STATE);
        caPem = ca.writePem(SandboxFixture.IT_STATE.resolve("upstream-ca-" + UUID.randomUUID() + ".pem"));
    }

    int port() {
        return server.port();
    }

    /** Request lines the server has seen. */
    Queue<String> requests() {
        return server.requests;
    }

    /** The upstream CA's PEM, for {@code SandboxSpec.withExtraUpstreamCa}. */
    Path caPem() {
        return caPem;
    }

    @Override
    public void close() throws IOException {
        server.close();
        internet.close();
        Files.deleteIfExists(caPem);
        removeItStateIfEmpty();
    }

    /** Removes {@link SandboxFixture#IT_STATE} when the ITs left nothing in it. */
    static void removeItStateIfEmpty() throws IOException {
        try (var left = Files.list(SandboxFixture.IT_STATE)) {
            if (left.findAny().isEmpty()) {
                Files.delete(SandboxFixture.IT_STATE);
            }
        } catch (NoSuchFileException e) {
            // never created: the test was skipped early
        }
    }
}

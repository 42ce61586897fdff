package dev.openshell.bootstrap.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** This machine's facts, checked against what the system itself says. */
class LinuxHostFactsTest {

    private final LinuxHostFacts host = new LinuxHostFacts(System.getenv());

    @Test
    void theUidIsTheProcesss() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        int expected = Integer.parseInt(new String(id.getInputStream().readAllBytes()).strip());

        assertThat(host.effectiveUid()).isEqualTo(expected);
    }

    @Test
    void toolsAreFoundOnThePathAndInSbin() {
        assertThat(host.tool("sh"))
                .hasValueSatisfying(p -> assertThat(Path.of(p)).isExecutable());
        assertThat(host.tool("no-such-tool-for-openshell")).isEmpty();
        assertThat(new LinuxHostFacts(Map.of("PATH", "/nonexistent")).tool("sh"))
                .isEmpty();
    }

    @Test
    void kernelFeaturesMatchProc() {
        assertThat(host.networkNamespaces()).isEqualTo(Files.exists(Path.of("/proc/self/ns/net")));
        assertThat(host.landlockAbi()).isGreaterThanOrEqualTo(0);
        host.cgroups().ifPresent(c -> assertThat(c.version()).isIn("v1", "v2"));
    }

    @Test
    void aDockerHostThatIsNoSocketIsNoDaemon() {
        assertThat(new LinuxHostFacts(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")).dockerDaemon())
                .isFalse();
        assertThat(new LinuxHostFacts(Map.of("DOCKER_HOST", "tcp://127.0.0.1:2375")).dockerDaemon())
                .isFalse();
    }

    @Test
    void aDaemonThatAcceptsAndNeverAnswersIsNoDaemonAfterTwoSeconds() throws Exception {
        Path dir = Files.createTempDirectory("openshell-docker");
        Path socket = dir.resolve("docker.sock");
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(() -> {
                try (var silent = server.accept()) {
                    Thread.sleep(10_000);
                } catch (Exception e) {
                    // closed by the test
                }
            });
            long t0 = System.nanoTime();
            boolean daemon = new LinuxHostFacts(Map.of("DOCKER_HOST", "unix://" + socket)).dockerDaemon();

            assertThat(daemon).isFalse();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - t0)).isLessThan(java.time.Duration.ofSeconds(4));
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aDaemonThatAnswersPingIsADaemon() throws Exception {
        Path dir = Files.createTempDirectory("openshell-docker");
        Path socket = dir.resolve("docker.sock");
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(() -> {
                try (var c = server.accept()) {
                    c.read(java.nio.ByteBuffer.allocate(256));
                    c.write(java.nio.ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes()));
                } catch (Exception e) {
                    // closed by the test
                }
            });

            assertThat(new LinuxHostFacts(Map.of("DOCKER_HOST", "unix://" + socket)).dockerDaemon())
                    .isTrue();
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }
}

package dev.openshell.bootstrap.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Local gateway daemons with real processes: a stand-in for {@code java} (a shell script) plays a
 * gateway that exits during start-up, and {@code sleep} a daemon that runs. The real gateway jar
 * is started by the CLI's {@code GatewayStartIT}.
 */
class LocalGatewaysIT {

    private Path dir;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("openshell-local-gw");
    }

    @AfterEach
    void tearDown() throws IOException {
        processes.forEach(Process::destroyForcibly);
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aDirectoryNeverStartedHasNoRunningGateway() {
        LocalGatewayStatus s = LocalGateways.status(dir.resolve("data"));

        assertThat(s.running()).isFalse();
        assertThat(s.daemon()).isEmpty();
        assertThat(LocalGateways.stop(dir.resolve("data"), Duration.ofSeconds(1)))
                .isFalse();
    }

    @Test
    void aRecordedProcessRunsUntilStopped() throws Exception {
        Process sleep = start("sleep", "60");
        record(sleep.pid(), sleep.info().startInstant().orElseThrow());

        assertThat(LocalGateways.status(dir).running()).isTrue();
        assertThat(LocalGateways.status(dir).pid()).isEqualTo(sleep.pid());
        assertThat(LocalGateways.stop(dir, Duration.ofSeconds(10))).isTrue();
        assertThat(sleep.isAlive()).isFalse();
        assertThat(LocalGateways.status(dir).running()).isFalse();
    }

    @Test
    void aPidNowUsedByAnotherProcessIsNotTheGateway() throws Exception {
        Process sleep = start("sleep", "60");
        record(sleep.pid(), Instant.parse("2020-01-01T00:00:00Z"));

        assertThat(LocalGateways.status(dir).running()).isFalse();
        assertThat(LocalGateways.stop(dir, Duration.ofSeconds(1))).isFalse();
        assertThat(sleep.isAlive())
                .as("a process that merely has the recorded pid is never killed")
                .isTrue();
    }

    @Test
    void aPortInUseIsRefusedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            LocalGatewaySpec spec = spec(script("exit 0"), port);

            assertThatThrownBy(() -> LocalGateways.start(spec, StartProgress.SILENT))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                        assertThat(e.getMessage())
                                .isEqualTo("port " + port + " on 127.0.0.1 is in use by another program");
                        assertThat(e.hint()).contains("--port " + (port + 1));
                    });
            assertThat(spec.dataDir()).doesNotExist();
        }
    }

    @Test
    void aGatewayThatExitsWhileStartingIsReportedWithItsReason() throws Exception {
        LocalGatewaySpec spec = spec(script("echo 'openshell-gateway: the database is locked'; exit 1"), freePort());

        assertThatThrownBy(() -> LocalGateways.start(spec, StartProgress.SILENT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.START_FAILED);
                    assertThat(e.getMessage())
                            .isEqualTo("gateway test exited while starting: openshell-gateway: the database is locked");
                    assertThat(e.hint()).isEqualTo("its log: " + spec.dataDir().resolve("logs/daemon.out"));
                });
        assertThat(spec.dataDir().resolve("tls/client/tls.key")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spec.dataDir())))
                .isEqualTo("rwx------");
    }

    @Test
    void aPortTakenWhileTheGatewayStartsIsReportedAsSuch() throws Exception {
        LocalGatewaySpec spec =
                spec(script("echo 'Web server failed to start. Port 1 was already in use.'; exit 1"), freePort());

        assertThatThrownBy(() -> LocalGateways.start(spec, StartProgress.SILENT))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
    }

    @Test
    void aMissingJarIsNamed() {
        LocalGatewaySpec spec = new LocalGatewaySpec(
                "test",
                dir.resolve("data"),
                8443,
                "127.0.0.1",
                "local",
                dir.resolve("nope.jar"),
                Path.of("/bin/true"),
                List.of(),
                Duration.ofSeconds(5),
                null);

        assertThatThrownBy(() -> LocalGateways.start(spec, StartProgress.SILENT))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.START_FAILED);
                    assertThat(e.getMessage()).contains("nope.jar is missing");
                });
    }

    private LocalGatewaySpec spec(Path java, int port) throws IOException {
        Path jar = Files.writeString(dir.resolve("gateway.jar"), "not really a jar");
        return new LocalGatewaySpec(
                "test",
                dir.resolve("data"),
                port,
                "127.0.0.1",
                "local",
                jar,
                java,
                List.of(),
                Duration.ofSeconds(20),
                null);
    }

    private Path script(String body) throws IOException {
        Path s = dir.resolve("java");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private void record(long pid, Instant start) {
        new DaemonRecord(pid, start, 8443, "127.0.0.1", "local", "gateway.jar", Instant.now()).write(dir);
    }

    private Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).start();
        processes.add(p);
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package dev.openshell.bootstrap.local;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Launches the gateway jar as a daemon: in a session of its own ({@code setsid}, so closing the
 * terminal or a Ctrl-C there does not reach it), standard input from {@code /dev/null}, output to
 * {@code logs/daemon.out} in the data directory, and the pid and start time in {@code daemon.json}.
 */
final class DaemonLauncher {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private DaemonLauncher() {}

    static DaemonRecord launch(LocalGatewaySpec spec, StartProgress progress) {
        Path log = spec.dataDir().resolve("logs").resolve("daemon.out");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(spec.java().toString());
        command.addAll(spec.jvmOptions());
        command.addAll(FastStart.launchArguments(spec, progress));
        command.addAll(List.of(
                "--data-dir",
                spec.dataDir().toString(),
                "--port",
                Integer.toString(spec.port()),
                "--bind",
                spec.bind(),
                "--driver",
                spec.driver()));
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command)
                    .directory(spec.dataDir().toFile())
                    .redirectInput(new File("/dev/null"))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            DaemonRecord record = new DaemonRecord(
                    p.pid(),
                    p.info().startInstant().orElse(null),
                    spec.port(),
                    spec.bind(),
                    spec.driver(),
                    spec.gatewayJar().toString(),
                    Instant.now());
            record.write(spec.dataDir());
            return record;
        } catch (IOException e) {
            throw new ApiException(Problem.of(
                            ErrorCode.START_FAILED,
                            "cannot launch the gateway (" + spec.java() + "): " + e.getMessage())
                    .withHint("check that Java 25 is installed at " + spec.java()));
        }
    }
}

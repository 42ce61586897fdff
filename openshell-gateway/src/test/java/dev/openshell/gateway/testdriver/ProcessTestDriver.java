package dev.openshell.gateway.testdriver;

import dev.openshell.api.ErrorCode;
import dev.openshell.gateway.compute.ComputeDriver;
import dev.openshell.gateway.compute.DriverException;
import dev.openshell.gateway.compute.ExecCommand;
import dev.openshell.gateway.compute.ExecOutcome;
import dev.openshell.gateway.compute.Workload;
import dev.openshell.gateway.compute.WorkloadEvents;
import dev.openshell.gateway.compute.WorkloadSpec;
import dev.openshell.gateway.config.GatewayProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * A compute driver for tests, never shipped: each workload is a real local process (the sandbox's
 * command, or {@code sleep} when it has none) in a workspace directory under the data directory,
 * and exec really runs the command there, so exec returns real output. It applies no isolation at
 * all. Processes live in a static table, so they outlive a gateway context that is closed and
 * started again in the same JVM, like supervisors outlive a gateway process; the state directory
 * says which workloads exist. A pushed policy that names the host {@link #REJECT_HOST} is
 * rejected; every other one is loaded a moment later.
 */
@Component
public class ProcessTestDriver implements ComputeDriver {

    public static final String NAME = "test";
    public static final String REJECT_HOST = "rejected-by-test-driver.example";

    private static final Map<String, Process> PROCESSES = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> STOPPING = new ConcurrentHashMap<>();
    private static final Map<Path, WorkloadEvents> SINKS = new ConcurrentHashMap<>();

    static {
        // Workloads outlive gateways, not the test JVM.
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessTestDriver::killAll));
    }

    private final Path dir;

    public ProcessTestDriver(GatewayProperties properties) {
        this.dir = properties.dataDir().resolve("test-driver");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void attach(WorkloadEvents events) {
        SINKS.put(dir, events);
    }

    private WorkloadEvents events() {
        return SINKS.get(dir);
    }

    /** The workspace of a sandbox (tests write and read files there). */
    public Path workspace(String sandboxId) {
        return dir.resolve(sandboxId).resolve("workspace");
    }

    @Override
    public void create(WorkloadSpec spec) {
        try {
            Files.createDirectories(workspace(spec.sandboxId()));
            Files.writeString(dir.resolve(spec.sandboxId()).resolve("token"), spec.supervisorToken());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        launch(spec);
    }

    @Override
    public void start(WorkloadSpec spec) {
        if (!Files.isDirectory(workspace(spec.sandboxId()))) {
            throw new DriverException(ErrorCode.START_FAILED, "the workspace of " + spec.name() + " is gone");
        }
        launch(spec);
    }

    private void launch(WorkloadSpec spec) {
        String id = spec.sandboxId();
        Process running = PROCESSES.get(id);
        if (running != null && running.isAlive()) {
            events().running(id);
            return;
        }
        List<String> argv = spec.command().isEmpty() ? List.of("sleep", "3600") : spec.command();
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(workspace(id).toFile())
                .redirectErrorStream(false)
                .redirectOutput(dir.resolve(id).resolve("stdout").toFile())
                .redirectError(dir.resolve(id).resolve("stderr").toFile());
        pb.environment().putAll(spec.env());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new DriverException(
                    ErrorCode.START_FAILED, "cannot start " + argv.getFirst() + ": " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // nothing to close
        }
        PROCESSES.put(id, p);
        STOPPING.remove(id);
        writeState(id, "RUNNING");
        p.onExit().thenAccept(done -> {
            if (STOPPING.remove(id) == null && PROCESSES.get(id) == done) {
                writeState(id, "EXITED:" + done.exitValue());
                WorkloadEvents sink = events();
                if (sink != null) {
                    sink.exited(id, done.exitValue());
                }
            }
        });
        events().policyLoaded(id, spec.policyRevision());
        events().running(id);
    }

    @Override
    public void stop(String sandboxId) {
        Process p = PROCESSES.get(sandboxId);
        if (p != null && p.isAlive()) {
            STOPPING.put(sandboxId, true);
            kill(p);
        }
        if (Files.isDirectory(dir.resolve(sandboxId))) {
            writeState(sandboxId, "STOPPED");
        }
    }

    @Override
    public void delete(String sandboxId) {
        Process p = PROCESSES.remove(sandboxId);
        if (p != null && p.isAlive()) {
            STOPPING.put(sandboxId, true);
            kill(p);
        }
        deleteTree(dir.resolve(sandboxId));
    }

    @Override
    public List<Workload> workloads() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Workload> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.toList()) {
                String id = child.getFileName().toString();
                Path state = child.resolve("state");
                String text = Files.exists(state) ? Files.readString(state) : "STOPPED";
                Process p = PROCESSES.get(id);
                if (text.equals("RUNNING") && (p == null || !p.isAlive())) {
                    text = "STOPPED"; // its process died with a JVM: it can be started again
                }
                if (text.startsWith("EXITED:")) {
                    out.add(new Workload(id, Workload.State.EXITED, Integer.parseInt(text.substring(7))));
                } else {
                    out.add(new Workload(id, Workload.State.valueOf(text), null));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public ExecOutcome exec(String sandboxId, ExecCommand command) {
        ProcessBuilder pb = new ProcessBuilder(command.argv())
                .directory(workspace(sandboxId).toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new ExecOutcome(
                    new byte[0],
                    ("exec: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8),
                    127,
                    false,
                    false);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (var stdin = p.getOutputStream()) {
            stdin.write(command.stdin());
        } catch (IOException e) {
            // the command did not read its input: like a closed pipe
        }
        try {
            boolean done = p.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                kill(p);
                return new ExecOutcome(out.join(), err.join(), 124, true, false);
            }
            return new ExecOutcome(out.join(), err.join(), p.exitValue(), false, false);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new DriverException(ErrorCode.UNAVAILABLE, "interrupted");
        }
    }

    @Override
    public void pushPolicy(String sandboxId, long revision, String policyYaml) {
        WorkloadEvents sink = events();
        Thread.ofVirtual().start(() -> {
            if (policyYaml.contains(REJECT_HOST)) {
                sink.policyFailed(sandboxId, revision, "rejected by the test driver");
            } else {
                sink.policyLoaded(sandboxId, revision);
            }
        });
    }

    /** Kills every process this driver started for any gateway (test cleanup). */
    public static void killAll() {
        PROCESSES.values().forEach(ProcessTestDriver::kill);
        PROCESSES.clear();
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeState(String id, String state) {
        try {
            Path d = dir.resolve(id);
            if (Files.isDirectory(d)) {
                Files.writeString(d.resolve("state"), state);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        // deletes may run at once (the API's and a create's that found its record gone): a file
        // the other removed first is not a failure
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                throw e;
            }
            deleteTree(root);
        } catch (java.nio.file.NoSuchFileException gone) {
            deleteTree(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.openshell.sandbox.ssh;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.ProcessPolicy;
import dev.openshell.sandbox.launch.LaunchSpec;
import dev.openshell.sandbox.launch.SandboxUser;
import dev.openshell.sandbox.supervisor.SandboxInit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real sandbox for the SSH ITs: a network namespace, a sandbox-owned workdir, an agent ({@code
 * sleep}) in its own root and PID namespace, and a running server whose sessions join it.
 */
final class SshSandboxFixture implements AutoCloseable {

    static final List<String> SYSTEM_READ_ONLY = List.of("/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc");

    final String namespace;
    final Path workdir;
    final Path stateDir;
    final LaunchSpec spec;
    final Process agent;
    final SandboxInit init;
    final SandboxSshServer server;

    private SshSandboxFixture(
            String namespace,
            Path workdir,
            Path stateDir,
            LaunchSpec spec,
            Process agent,
            SandboxInit init,
            SandboxSshServer server) {
        this.namespace = namespace;
        this.workdir = workdir;
        this.stateDir = stateDir;
        this.spec = spec;
        this.agent = agent;
        this.init = init;
        this.server = server;
    }

    static SshSandboxFixture start(Map<String, String> environment) throws IOException {
        SandboxUser.ensureExists();
        String namespace = "osh-sshtest-" + UUID.randomUUID().toString().substring(0, 8);
        run(List.of("ip", "netns", "add", namespace));
        Path workdir = null;
        Path stateDir = null;
        Process agent = null;
        try {
            run(List.of("ip", "-n", namespace, "link", "set", "lo", "up"));
            workdir = Files.createTempDirectory(Path.of("/tmp"), "osh-sshtest-work-");
            Files.setOwner(
                    workdir,
                    workdir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SandboxUser.NAME));
            stateDir = Files.createTempDirectory("osh-sshtest-state-");
            LaunchSpec spec = new LaunchSpec(
                            workdir,
                            new FilesystemPolicy(true, SYSTEM_READ_ONLY, List.of("/tmp")),
                            new LandlockPolicy(LandlockPolicy.Compatibility.HARD_REQUIREMENT),
                            ProcessPolicy.DEFAULT,
                            Path.of("/var/run/netns", namespace),
                            false,
                            List.of())
                    .withPrivateMounts(List.of(new LaunchSpec.Bind(workdir, workdir)));
            agent = new ProcessBuilder(spec.command(List.of("sleep", "100000")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            SandboxInit init = SandboxInit.locate(agent.toHandle(), Duration.ofSeconds(10))
                    .orElseThrow(() -> new IllegalStateException("the fixture's agent did not start"));
            SandboxSshServer server =
                    SandboxSshServer.start("sshtest", stateDir, spec.joining(init.initPid()), environment);
            return new SshSandboxFixture(namespace, workdir, stateDir, spec, agent, init, server);
        } catch (IOException | RuntimeException | Error e) {
            stop(agent);
            cleanUp(namespace, workdir, stateDir);
            throw e;
        }
    }

    /** Runs a host command as root and returns its output, failing on a non-zero exit. */
    static String run(List<String> command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(command + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        stop(agent);
        cleanUp(namespace, workdir, stateDir);
    }

    private static void stop(Process agent) {
        if (agent == null) {
            return;
        }
        agent.destroy();
        try {
            if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void cleanUp(String namespace, Path workdir, Path stateDir) {
        try {
            run(List.of("ip", "netns", "delete", namespace));
        } catch (IllegalStateException e) {
            System.out.println("cleanup: " + e.getMessage());
        }
        deleteRecursively(workdir);
        deleteRecursively(stateDir);
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.out.println("cleanup: " + e);
        }
    }
}

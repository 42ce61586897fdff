package dev.openshell.sandbox.session;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.cgroup.ResourceLimits;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.supervisor.StaleSandboxes;
import dev.openshell.sandbox.supervisor.SupervisorOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process that hosts many sandboxes for a gateway's local driver ({@code openshell-sandbox host
 * --dir D}). It outlives the gateway: a gateway that dies leaves every sandbox running and enforcing
 * its last policy, and each sandbox's session reconnects when a gateway is back. The gateway drives
 * it over a control socket ({@link HostRequest}); everything else goes over the sessions.
 *
 * <p>Directory (0700, root): {@code host.sock}, {@code host.pid}, and per sandbox {@code
 * sandboxes/<id>/state} ({@code running}, {@code stopped}, {@code exited:N}) and {@code
 * sandboxes/<id>/workspace}, the agent's work directory, which survives stop and start. The
 * workspace belongs to {@code nobody} (65534): the agent writes it through an idmapped mount as its
 * own uid, no host account can reach it (the parent directories are root's, 0700), and files the
 * agent makes are never root's on the host.
 */
public final class SandboxHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxHost.class);
    public static final String SOCKET = "host.sock";
    public static final String PID_FILE = "host.pid";
    static final String SANDBOXES = "sandboxes";
    static final String WORKSPACE = "workspace";
    static final String STATE = "state";
    static final int WORKSPACE_OWNER = 65534;
    /** Where the agent sees its workspace. */
    static final Path AGENT_WORKDIR = Path.of("/sandbox");

    private static final List<String> IDLE_COMMAND = List.of("sleep", "infinity");

    private final Path dir;
    private final SupervisorOptions options;
    private final Map<String, HostedSandbox> running = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private volatile GatewayTarget gateway;
    private HostControlSocket control;

    private SandboxHost(Path dir, SupervisorOptions options) {
        this.dir = dir;
        this.options = options;
    }

    /** Prepares the directory, reclaims what a dead host left, and listens on the control socket. */
    public static SandboxHost start(Path dir, SupervisorOptions options) throws IOException {
        Files.createDirectories(dir.resolve(SANDBOXES));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(dir.resolve(SANDBOXES), PosixFilePermissions.fromString("rwx------"));
        StaleSandboxes.reclaim(options.sandboxesRoot(), options.netStateDir());
        SandboxHost host = new SandboxHost(dir, options);
        host.forgetRunningStates();
        host.control = new HostControlSocket(dir.resolve(SOCKET), host::handle);
        Files.writeString(dir.resolve(PID_FILE), ProcessHandle.current().pid() + "\n");
        return host;
    }

    /** Blocks until a {@code shutdown} request or {@link #close()}. */
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    HostAnswer handle(HostRequest request) {
        try {
            return switch (request.op()) {
                case GATEWAY -> gateway(request.gatewayUrl(), request.gatewayCa());
                case CREATE -> run(request.sandbox(), true);
                case START -> run(request.sandbox(), false);
                case STOP -> stop(request.sandboxId());
                case DELETE -> delete(request.sandboxId());
                case LIST -> HostAnswer.listing(list());
                case SHUTDOWN -> {
                    Thread.ofVirtual().start(this::close);
                    yield HostAnswer.success();
                }
            };
        } catch (SandboxException e) {
            return HostAnswer.failure(e.code().wire(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} failed", request.op(), e);
            return HostAnswer.failure(ErrorCode.START_FAILED.wire(), String.valueOf(e.getMessage()));
        }
    }

    private HostAnswer gateway(String url, String caPem) {
        GatewayTarget current = gateway;
        URI uri = URI.create(url);
        if (current != null && current.sameAs(uri, caPem)) {
            return HostAnswer.success();
        }
        gateway = new GatewayTarget(uri, caPem);
        running.values().forEach(HostedSandbox::reconnect);
        if (current != null) {
            current.close();
        }
        return HostAnswer.success();
    }

    private HostAnswer run(HostRequest.Sandbox sandbox, boolean create) {
        if (sandbox == null) {
            return HostAnswer.failure("bad_request", "no sandbox given");
        }
        synchronized (lock(sandbox.id())) {
            if (running.containsKey(sandbox.id())) {
                return HostAnswer.success();
            }
            Path sandboxDir = sandboxDir(sandbox.id());
            Path workspace = sandboxDir.resolve(WORKSPACE);
            if (create) {
                createWorkspace(sandboxDir, workspace);
            } else if (!Files.isDirectory(workspace)) {
                return HostAnswer.failure(
                        ErrorCode.START_FAILED.wire(), "the workspace of " + sandbox.name() + " is gone");
            }
            SandboxSpec spec = new SandboxSpec(
                    sandbox.id(),
                    workspace,
                    AGENT_WORKDIR,
                    sandbox.command().isEmpty() ? IDLE_COMMAND : sandbox.command(),
                    sandbox.env(),
                    null,
                    sandbox.policy(),
                    null,
                    false,
                    false,
                    null,
                    true,
                    limits(sandbox.resources()));
            HostedSandbox hosted =
                    HostedSandbox.start(sandbox, spec, options, () -> gateway, code -> exited(sandbox.id(), code));
            running.put(sandbox.id(), hosted);
            writeState(sandbox.id(), "running");
            return HostAnswer.success();
        }
    }

    private void exited(String id, int code) {
        synchronized (lock(id)) {
            running.remove(id);
            if (Files.isDirectory(sandboxDir(id))) {
                writeState(id, "exited:" + code);
            }
        }
    }

    private HostAnswer stop(String id) {
        requireId(id);
        synchronized (lock(id)) {
            HostedSandbox hosted = running.remove(id);
            if (hosted != null) {
                hosted.close();
            }
            if (Files.isDirectory(sandboxDir(id))) {
                writeState(id, "stopped");
            }
            return HostAnswer.success();
        }
    }

    private HostAnswer delete(String id) {
        requireId(id);
        synchronized (lock(id)) {
            HostedSandbox hosted = running.remove(id);
            if (hosted != null) {
                hosted.close();
            }
            deleteTree(sandboxDir(id));
            locks.remove(id);
            return HostAnswer.success();
        }
    }

    private List<HostAnswer.Workload> list() {
        List<HostAnswer.Workload> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir.resolve(SANDBOXES))) {
            for (Path child : children.toList()) {
                String id = child.getFileName().toString();
                if (running.containsKey(id)) {
                    out.add(new HostAnswer.Workload(id, HostAnswer.State.RUNNING, null));
                    continue;
                }
                String state = readState(id);
                if (state.startsWith("exited:")) {
                    out.add(new HostAnswer.Workload(
                            id, HostAnswer.State.EXITED, Integer.parseInt(state.substring("exited:".length()))));
                } else {
                    out.add(new HostAnswer.Workload(id, HostAnswer.State.STOPPED, null));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Sandboxes recorded as running by a host that died are stopped now (their workspaces stay). */
    private void forgetRunningStates() throws IOException {
        try (Stream<Path> children = Files.list(dir.resolve(SANDBOXES))) {
            for (Path child : children.toList()) {
                if (readState(child.getFileName().toString()).equals("running")) {
                    writeState(child.getFileName().toString(), "stopped");
                }
            }
        }
    }

    private static void createWorkspace(Path sandboxDir, Path workspace) {
        try {
            Files.createDirectories(sandboxDir);
            Files.setPosixFilePermissions(sandboxDir, PosixFilePermissions.fromString("rwx------"));
            if (!Files.isDirectory(workspace)) {
                Files.createDirectory(workspace);
                Files.setAttribute(workspace, "unix:gid", WORKSPACE_OWNER);
                Files.setAttribute(workspace, "unix:uid", WORKSPACE_OWNER);
                Files.setPosixFilePermissions(workspace, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new SandboxException(
                    ErrorCode.START_FAILED, "cannot make the workspace " + workspace + ": " + e.getMessage());
        }
    }

    /** Removes a sandbox's directory; symbolic links the agent made are removed, never followed. */
    private static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new SandboxException(
                    ErrorCode.WORKLOAD_DELETE_FAILED, "cannot remove " + root + ": " + e.getMessage());
        }
    }

    private static ResourceLimits limits(dev.openshell.api.sandbox.ResourceLimits r) {
        if (r == null) {
            return ResourceLimits.DEFAULT;
        }
        return new ResourceLimits(
                r.memoryBytes() == null ? 0 : r.memoryBytes(),
                r.cpus() == null ? 0 : r.cpus(),
                r.pids() == null ? 0 : r.pids(),
                0);
    }

    private Path sandboxDir(String id) {
        return dir.resolve(SANDBOXES).resolve(requireId(id));
    }

    private static String requireId(String id) {
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,47}")) {
            throw new SandboxException(ErrorCode.SANDBOX_ID_INVALID, "invalid sandbox id");
        }
        return id;
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private String readState(String id) {
        try {
            return Files.readString(sandboxDir(id).resolve(STATE)).strip();
        } catch (IOException e) {
            return "stopped";
        }
    }

    private void writeState(String id, String state) {
        try {
            Files.writeString(sandboxDir(id).resolve(STATE), state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every sandbox (their workspaces stay) and the control socket. */
    @Override
    public void close() {
        if (control != null) {
            control.close();
        }
        List<Thread> stopping = new ArrayList<>();
        for (String id : List.copyOf(running.keySet())) {
            stopping.add(Thread.ofVirtual().start(() -> stop(id)));
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(dir.resolve(SOCKET));
            Files.deleteIfExists(dir.resolve(PID_FILE));
        } catch (IOException e) {
            // best effort
        }
        GatewayTarget g = gateway;
        if (g != null) {
            g.close();
        }
        shutdown.countDown();
    }
}

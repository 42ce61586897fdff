package dev.openshell.bootstrap.host;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** This host's facts, read from {@code /proc}, the {@code PATH}, the kernel and the Docker socket. */
public final class LinuxHostFacts implements HostFacts {

    private static final long SYS_LANDLOCK_CREATE_RULESET = 444;
    private static final int LANDLOCK_CREATE_RULESET_VERSION = 1;
    private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private final Map<String, String> env;

    public LinuxHostFacts(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public int effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    @Override
    public Optional<String> tool(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        dirs.addAll(List.of(path.split(":")));
        dirs.addAll(SBIN);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, tool);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    @Override
    public int landlockAbi() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle syscall = linker.downcallHandle(
                    linker.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT),
                    Linker.Option.firstVariadicArg(1));
            long abi = (long) syscall.invokeExact(
                    SYS_LANDLOCK_CREATE_RULESET, MemorySegment.NULL, 0L, LANDLOCK_CREATE_RULESET_VERSION);
            return abi < 0 ? 0 : (int) abi;
        } catch (Throwable t) {
            return 0;
        }
    }

    @Override
    public boolean networkNamespaces() {
        return Files.exists(Path.of("/proc/self/ns/net"));
    }

    @Override
    public Optional<Cgroups> cgroups() {
        List<String> mountinfo;
        try {
            mountinfo = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            return Optional.empty();
        }
        Set<String> v1 = new TreeSet<>();
        Path unified = null;
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 5 || f.length < dash + 4) {
                continue;
            }
            if (f[dash + 1].equals("cgroup2") && unified == null) {
                unified = Path.of(f[4]);
            } else if (f[dash + 1].equals("cgroup")) {
                for (String opt : f[dash + 3].split(",")) {
                    if (Set.of("memory", "pids", "cpu", "cpuacct", "cpuset", "blkio", "devices", "freezer")
                            .contains(opt)) {
                        v1.add(opt);
                    }
                }
            }
        }
        if (unified != null) {
            try {
                Set<String> controllers = new TreeSet<>(List.of(Files.readString(unified.resolve("cgroup.controllers"))
                        .strip()
                        .split("\\s+")));
                controllers.remove("");
                if (controllers.containsAll(List.of("memory", "pids")) || v1.isEmpty()) {
                    return Optional.of(new Cgroups("v2", controllers));
                }
            } catch (IOException e) {
                // fall back to v1
            }
        }
        return v1.isEmpty() ? Optional.empty() : Optional.of(new Cgroups("v1", v1));
    }

    @Override
    public boolean dockerDaemon() {
        String host = env.getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");
        if (!host.startsWith("unix://")) {
            return false; // a TCP daemon is not probed here
        }
        Path socket = Path.of(host.substring("unix://".length()));
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(
                    ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            // A daemon that accepts and never answers must not hang the caller: the read gets two
            // seconds, then the channel is closed under it.
            CompletableFuture<String> status = CompletableFuture.supplyAsync(() -> {
                ByteBuffer answer = ByteBuffer.allocate(64);
                try {
                    while (answer.hasRemaining() && ch.read(answer) > 0) {
                        // the status line is enough
                    }
                } catch (IOException e) {
                    return "";
                }
                return new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
            });
            String text = status.get(2, TimeUnit.SECONDS);
            return text.startsWith("HTTP/1.") && text.contains(" 200 ");
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

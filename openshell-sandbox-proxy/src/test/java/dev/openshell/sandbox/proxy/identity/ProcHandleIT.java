package dev.openshell.sandbox.proxy.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.linux.ProcSyscalls;
import dev.openshell.testkit.Require;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kept-open procfs descriptors against real processes: bound to one process, closed when dropped. */
class ProcHandleIT {

    private final List<Process> started = new ArrayList<>();
    private final ProcHandles handles = new ProcHandles();
    private Lookup lookup;

    @BeforeEach
    void nativeAccess() {
        Require.that(ProcSyscalls.available(), "no native access to procfs; the java.nio fallback is used instead");
        lookup = handles.begin();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (lookup != null) {
            handles.end(lookup);
        }
        handles.close();
        for (Process p : started) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).start();
        started.add(p);
        return p;
    }

    @Test
    void readsThroughTheHandleMatchProcfs() throws Exception {
        Process cat = start("cat");
        int pid = (int) cat.pid();
        // once cat echoes a line it is past its start-up (the loader and setlocale open and close
        // descriptors for a few milliseconds after exec): its descriptor table holds still
        cat.getOutputStream().write("ready\n".getBytes(StandardCharsets.US_ASCII));
        cat.getOutputStream().flush();
        assertThat(new BufferedReader(new InputStreamReader(cat.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine())
                .isEqualTo("ready");
        try (ProcessView view = handles.open(lookup, pid)) {
            assertThat(view.exe(lookup))
                    .isEqualTo(Path.of("/proc/" + pid + "/exe").toRealPath().toString());
            ProcFs.Stat stat = view.stat(lookup);
            assertThat(stat.ppid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(stat.startTime()).isEqualTo(view.startTime()).isPositive();
            int[] fds = view.fds(lookup);
            assertThat(fds).contains(0, 1, 2).isSorted();
            assertThat(view.fds(lookup)).as("listed again from the start").isEqualTo(fds);
            assertThat(view.probe(lookup, 0)).isNotEqualTo(ProcessView.MISSING);
            assertThat(view.probe(lookup, 999)).isEqualTo(ProcessView.MISSING);
            FileVersion version = view.executable(lookup).version();
            assertThat(version.ino()).isEqualTo(Files.getAttribute(Path.of("/proc/" + pid + "/exe"), "unix:ino"));
            assertThat(version.dev()).isEqualTo(Files.getAttribute(Path.of("/proc/" + pid + "/exe"), "unix:dev"));
        }
    }

    @Test
    void aSocketDescriptorGivesItsInode() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process bash = start("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + "; sleep 60");
            try (Socket accepted = server.accept();
                    ProcessView view = handles.open(lookup, (int) bash.pid())) {
                String link = Files.readSymbolicLink(Path.of("/proc/" + bash.pid() + "/fd/3"))
                        .toString();
                assertThat(ProcFs.socketLink(view.probe(lookup, 3))).isEqualTo(link);
                assertThat(accepted.isConnected()).isTrue();
            }
        }
    }

    @Test
    void afterTheProcessExitsEveryReadThroughItsHandleFails() throws Exception {
        Process sleep = start("sleep", "60");
        int pid = (int) sleep.pid();
        try (ProcessView view = handles.open(lookup, pid)) {
            sleep.destroyForcibly();
            assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue(); // reaped: the pid is free

            assertThat(view.stat(lookup)).isNull();
            assertThat(view.probe(lookup, 0)).isEqualTo(ProcessView.MISSING);
            assertThat(view.fds(lookup)).isNull();
            assertThatThrownBy(() -> view.exe(lookup)).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> view.executable(lookup).version()).isInstanceOf(IOException.class);
        }
        assertThat(handles.reopen(lookup, pid)).isNull();
    }

    @Test
    void aHandleNeverReachesTheProcessThatGetsItsPidNext() throws Exception {
        Require.that(Files.isWritable(Path.of("/proc/sys/kernel/ns_last_pid")), "needs root to steer pid allocation");
        Process cat = start("cat");
        int pid = (int) cat.pid();
        try (ProcessView old = handles.open(lookup, pid)) {
            cat.destroyForcibly();
            assertThat(cat.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Process recycled = startWithPid(pid, "sleep", "60");
            assertThat(recycled).as("pid " + pid + " again, in 50 tries").isNotNull();

            // procfs by path now shows the new process; the old handle does not reach it
            assertThat(Path.of("/proc/" + pid + "/exe")
                            .toRealPath()
                            .getFileName()
                            .toString())
                    .isEqualTo("sleep");
            assertThat(old.stat(lookup)).isNull();
            assertThatThrownBy(() -> old.exe(lookup)).isInstanceOf(IOException.class);
            assertThat(old.probe(lookup, 0)).isEqualTo(ProcessView.MISSING);
            try (ProcessView fresh = handles.reopen(lookup, pid)) {
                assertThat(fresh.exe(lookup)).endsWith("/sleep");
                // start times count 10 ms ticks: both processes may have started in the same one
                assertThat(fresh.startTime()).isGreaterThanOrEqualTo(old.startTime());
            }
        }
    }

    /** Starts {@code command} as {@code pid} by steering the kernel's next pid; null if others raced us. */
    private Process startWithPid(int pid, String... command) throws IOException {
        Path lastPid = Path.of("/proc/sys/kernel/ns_last_pid");
        for (int attempt = 0; attempt < 50; attempt++) {
            Files.writeString(lastPid, Integer.toString(pid - 1), StandardCharsets.US_ASCII);
            Process p = start(command);
            if (p.pid() == pid) {
                return p;
            }
            p.destroyForcibly();
        }
        return null;
    }

    @Test
    void theCacheKeepsTheMostRecentProcessesAndClosesWhatItEvicts() throws Exception {
        List<Integer> pids = new ArrayList<>();
        for (int i = 0; i < ProcHandles.CAPACITY + 6; i++) {
            pids.add((int) start("sleep", "60").pid());
        }
        // the first stays leased while the others push it out of the cache
        ProcessView first = handles.open(lookup, pids.getFirst());
        for (int pid : pids.subList(1, pids.size())) {
            handles.open(lookup, pid).close();
        }
        assertThat(handles.size()).isEqualTo(ProcHandles.CAPACITY);
        assertThat(descriptorsOn(pids.get(1))).as("evicted").isZero();
        assertThat(descriptorsOn(pids.getLast())).as("kept").isEqualTo(3);
        assertThat(descriptorsOn(pids.getFirst())).as("evicted but leased").isEqualTo(3);
        assertThat(first.stat(lookup)).isNotNull();

        first.close();
        first.close(); // a second close releases nothing more
        assertThat(descriptorsOn(pids.getFirst())).isZero();
        assertThat(descriptorsOn(pids.getLast())).isEqualTo(3);

        handles.close();
        assertThat(descriptorsOn(pids.getLast())).isZero();
        // a closed cache still serves, keeping nothing
        try (ProcessView late = handles.open(lookup, pids.getLast())) {
            assertThat(late.stat(lookup)).isNotNull();
        }
        assertThat(descriptorsOn(pids.getLast())).isZero();
    }

    @Test
    void closingTheResolverReleasesItsDescriptors() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process bash = start("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + "; sleep 60");
            int self = (int) ProcessHandle.current().pid();
            ProcCallerResolver resolver = new ProcCallerResolver(
                    Path.of("/proc"), OptionalInt.empty(), OptionalInt.of(self), new BinaryTrust());
            try (Socket accepted = server.accept()) {
                assertThat(resolver.processReads()).isEqualTo("descriptors");
                long selfBefore = descriptorsOn(self); // listing /proc/self/fd holds one itself
                CallerIdentity id =
                        resolver.resolve((InetSocketAddress) accepted.getRemoteSocketAddress(), (InetSocketAddress)
                                accepted.getLocalSocketAddress());
                assertThat(id.pid()).isEqualTo(bash.pid());
                // the caller and its ancestor (this JVM) are kept open for the next connection
                assertThat(descriptorsOn((int) bash.pid())).isEqualTo(3);
                assertThat(descriptorsOn(self)).isEqualTo(selfBefore + 3);

                resolver.close();
                assertThat(descriptorsOn((int) bash.pid())).isZero();
                assertThat(descriptorsOn(self)).isEqualTo(selfBefore);
                assertThatThrownBy(() -> resolver.resolve(
                                (InetSocketAddress) accepted.getRemoteSocketAddress(),
                                (InetSocketAddress) accepted.getLocalSocketAddress()))
                        .isInstanceOfSatisfying(
                                IdentityException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_UNKNOWN));
            } finally {
                resolver.close();
            }
        }
    }

    /** This JVM's descriptors on {@code /proc/<pid>} and below. */
    private static long descriptorsOn(int pid) throws IOException {
        String dir = "/proc/" + pid;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString();
                        } catch (IOException closed) {
                            return "";
                        }
                    })
                    .filter(target -> target.equals(dir) || target.startsWith(dir + "/"))
                    .count();
        }
    }
}

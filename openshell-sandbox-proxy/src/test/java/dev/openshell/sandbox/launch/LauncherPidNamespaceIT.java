package dev.openshell.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.supervisor.SandboxInit;
import dev.openshell.testkit.RequiresLandlock;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's PID namespace: an init as pid 1 that forwards signals once and exits with the
 * agent's status, the agent as pid 2, orphans reaped, the rest stopped with the agent, the
 * sandbox gone with its relay, sessions that join it, and a terminal that still behaves.
 */
@RequiresRoot
@RequiresLandlock
class LauncherPidNamespaceIT {

    private Path hostWorkdir;
    private Path agentWorkdir;
    private Process running;

    @BeforeEach
    void setUp() throws IOException {
        SandboxUser.ensureExists();
        hostWorkdir = Launched.sandboxOwnedDirectory(Path.of("/var/tmp"), "openshell-pidns-it-");
        agentWorkdir = Path.of("/tmp/work-" + UUID.randomUUID());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (running != null) {
            running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Launched.deleteRecursively(hostWorkdir);
    }

    private List<String> agent(String script) {
        return Launched.ownRoot(hostWorkdir, agentWorkdir, false).command(List.of("sh", "-c", script));
    }

    private static String marker() {
        return "1000." + (100_000 + ThreadLocalRandom.current().nextInt(900_000));
    }

    @Test
    void initIsPidOneTheAgentPidTwoAndProcShowsNothingElse() {
        Launched result = Launched.run(agent("echo $$; cut -d' ' -f1,2 /proc/1/stat; echo /proc/[0-9]*;"
                + " cat /proc/1/environ 2>&1 >/dev/null | grep -c 'Permission denied'"));

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines())
                .as("init and the agent (the glob is the shell's own, no process of its own): nothing of the host")
                .containsExactly("2", "1 (openshell-init)", "/proc/1 /proc/2", "1");
    }

    @Test
    void exitCodesPassThroughAndASignalIs128PlusN() {
        assertThat(Launched.run(agent("exit 7")).exitCode()).isEqualTo(7);
        assertThat(Launched.run(agent("kill -TERM $$")).exitCode()).isEqualTo(143);
        assertThat(Launched.run(agent("kill -KILL $$")).exitCode()).isEqualTo(137);
    }

    @Test
    void signalsSentToTheLauncherReachTheAgentExactlyOnce() throws Exception {
        List<String> signals = List.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "WINCH");
        StringBuilder traps = new StringBuilder();
        signals.forEach(s -> traps.append("trap 'echo ")
                .append(s)
                .append(" >> got' ")
                .append(s)
                .append("; "));
        running = Launched.start(agent(traps + "echo > ready; while [ ! -e stop ]; do sleep 0.02; done"));
        Launched.awaitFile(hostWorkdir.resolve("ready"));

        Path got = hostWorkdir.resolve("got");
        for (int i = 0; i < signals.size(); i++) {
            Launched.run(List.of("kill", "-s", signals.get(i), Long.toString(running.pid())));
            // One at a time: the next signal only once the agent's trap has recorded this one.
            int handled = i + 1;
            await("the agent's trap for " + signals.get(i))
                    .atMost(Duration.ofSeconds(5))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .until(() -> Files.exists(got) && Files.readAllLines(got).size() >= handled);
        }
        // Must NOT happen: a signal delivered twice (by the relay and the init each); none more for 300 ms.
        await("no signal delivered twice")
                .during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> Files.readAllLines(got).size() == signals.size());
        Files.writeString(hostWorkdir.resolve("stop"), "");

        assertThat(running.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(running.exitValue()).isZero();
        assertThat(Files.readAllLines(hostWorkdir.resolve("got"))).containsExactlyElementsOf(signals);
    }

    @Test
    void signalsTheCallerIgnoredOrBlockedAreDefaultAgainForTheAgent() {
        // as a shell starts a background job (INT and QUIT ignored) or nohup does (HUP ignored)
        List<String> launcher = agent("grep -E '^Sig(Ign|Blk):' /proc/self/status");
        List<String> command =
                new java.util.ArrayList<>(List.of("sh", "-c", "trap '' INT QUIT HUP USR1; exec \"$@\"", "ignoring"));
        command.addAll(launcher);

        Launched result = Launched.run(command);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines()).containsExactly("SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000");
    }

    @Test
    void orphansAreReapedAndOutliveTheAgentByNoMoreThanTheGrace() throws Exception {
        String marker = marker();
        Launched result = Launched.run(agent("sh -c 'true &'; sh -c 'sleep 0.1 &'; sleep 0.5;"
                + " grep -l '^[0-9]* ([^)]*) Z' /proc/[0-9]*/stat | wc -l; sleep " + marker + " & exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout().strip()).as("zombies").isEqualTo("0");
        Launched.awaitProcessWithArgument(marker, false);
    }

    @Test
    void killingTheRelayEndsTheWholeSandbox() throws Exception {
        String marker = marker();
        running = Launched.start(agent("sleep " + marker + " & echo > ready; wait"));
        Launched.awaitFile(hostWorkdir.resolve("ready"));
        Launched.awaitProcessWithArgument(marker, true);

        running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        Launched.awaitProcessWithArgument(marker, false);
    }

    @Test
    void aSessionJoinsTheSandboxsRootTmpAndProcesses() throws Exception {
        running = Launched.start(agent("echo from-the-agent > /tmp/shared; echo > ready; exec sleep 100000"));
        Launched.awaitFile(hostWorkdir.resolve("ready"));
        SandboxInit init =
                SandboxInit.locate(running.toHandle(), Duration.ofSeconds(10)).orElseThrow();
        LaunchSpec session = Launched.ownRoot(hostWorkdir, agentWorkdir, false).joining(init.initPid());

        Launched joined = Launched.run(session.command(List.of(
                "sh",
                "-c",
                "cat /tmp/shared; tr '\\0' ' ' < /proc/2/cmdline; echo; pwd; test $$ -gt 2 && echo own-pid")));

        assertThat(joined.exitCode()).as(joined.stderr()).isZero();
        assertThat(joined.stdout().lines())
                .containsExactly("from-the-agent", "sleep 100000 ", agentWorkdir.toString(), "own-pid");
    }

    @Test
    void joiningAnythingButASandboxInitIsRefused() {
        LaunchSpec spec = Launched.ownRoot(hostWorkdir, agentWorkdir, false);

        Launched host = Launched.run(spec.joining(ProcessHandle.current().pid()).command(List.of("true")));
        Launched gone = Launched.run(spec.joining(999_999_999).command(List.of("true")));

        assertThat(host.exitCode()).isEqualTo(125);
        assertThat(host.stderr()).contains("not a sandbox init");
        assertThat(gone.exitCode()).isEqualTo(125);
        assertThat(gone.stderr()).contains("no such process");
    }

    @Test
    @RequiresTool("/usr/bin/python3")
    void aTerminalKeepsJobControlCtrlCAndItsSize() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        List<String> command = new java.util.ArrayList<>(List.of(python.toString(), "-c", TerminalDriver.SCRIPT));
        command.addAll(Launched.ownRoot(hostWorkdir, agentWorkdir, false).command(List.of("bash", "--norc", "-i")));

        Launched result = Launched.run(command);

        assertThat(result.stdout().lines())
                .as(result.stdout() + result.stderr())
                .containsExactly("ctrl-c: interrupted", "job control: fg", "size: 33 111", "exit: 3");
    }

    /** A python3 program that drives an interactive shell through a pseudo-terminal. */
    private static final class TerminalDriver {
        static final String SCRIPT = """
                import fcntl, os, pty, select, struct, sys, termios, time
                pid, fd = pty.fork()
                if pid == 0:
                    os.environ["PS1"] = "$ "
                    os.execvp(sys.argv[1], sys.argv[1:])
                seen = b""
                def wait_for(text, timeout=10):
                    global seen
                    end = time.time() + timeout
                    while time.time() < end:
                        if text.encode() in seen:
                            seen = seen[seen.index(text.encode()) + len(text):]
                            return True
                        r, _, _ = select.select([fd], [], [], 0.1)
                        if r:
                            try:
                                seen += os.read(fd, 4096)
                            except OSError:
                                break
                    return False
                def send(text):
                    os.write(fd, text.encode())
                wait_for("$ ")
                send("sleep 30\\n"); time.sleep(0.5); send("\\x03")
                send("echo interrupted-$((40+2))\\n")
                print("ctrl-c:", "interrupted" if wait_for("interrupted-42", 5) else "no")
                send("sleep 30 &\\n"); time.sleep(0.3); send("fg\\n"); time.sleep(0.5); send("\\x03")
                send("echo fg-$((40+3))\\n")
                print("job control:", "fg" if wait_for("fg-43", 5) else "no")
                fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 111, 0, 0))
                send("echo size-$(stty size | tr ' ' -)\\n")
                print("size:", "33 111" if wait_for("size-33-111", 5) else "no")
                send("exit 3\\n")
                _, status = os.waitpid(pid, 0)
                print("exit:", os.waitstatus_to_exitcode(status))
                """;
    }
}

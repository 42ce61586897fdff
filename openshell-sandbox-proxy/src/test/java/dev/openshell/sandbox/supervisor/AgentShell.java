package dev.openshell.sandbox.supervisor;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives a long-running agent from the test: the agent is a shell loop that runs every script
 * dropped into {@code q/} of its workdir and leaves the output and exit code next to it. The same
 * agent process serves every command, which is what "without restarting the agent" needs.
 */
public final class AgentShell {

    public static final List<String> COMMAND = List.of(
            "sh",
            "-c",
            "mkdir -p q; while :; do for f in q/*.sh; do [ -e \"$f\" ] || continue; sh \"$f\" > \"$f.out\" 2>&1;"
                    + " echo $? > \"$f.rc.tmp\"; mv \"$f.rc.tmp\" \"$f.rc\"; rm -f \"$f\"; done; sleep 0.05; done");

    private static final Duration ANSWER = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(20);

    private final Path queue;
    private final AtomicInteger next = new AtomicInteger();

    public AgentShell(Path workdir) {
        this.queue = workdir.resolve("q");
    }

    public record Result(int exitCode, String output) {}

    /** Runs {@code script} with {@code sh} inside the sandbox and waits for its exit code. */
    public Result run(String script) throws IOException, InterruptedException {
        String name = send(script);
        Path rc = queue.resolve(name + ".sh.rc");
        await("an answer from the agent for: " + script)
                .atMost(ANSWER)
                .pollDelay(Duration.ZERO)
                .pollInterval(POLL)
                .until(() -> Files.exists(rc));
        return new Result(
                Integer.parseInt(Files.readString(rc).strip()),
                Files.readString(queue.resolve(name + ".sh.out"), StandardCharsets.UTF_8));
    }

    /**
     * Hands {@code script} to the agent without waiting for it (for scripts that never end, or that
     * end the sandbox); returns the script's name.
     */
    public String send(String script) throws IOException, InterruptedException {
        await("the agent's queue " + queue)
                .atMost(ANSWER)
                .pollDelay(Duration.ZERO)
                .pollInterval(POLL)
                .until(() -> Files.isDirectory(queue));
        String name = "c" + next.incrementAndGet();
        Path tmp = queue.resolve(name + ".tmp");
        Files.writeString(tmp, script + "\n", StandardCharsets.UTF_8);
        // The agent deletes the script after running it: through an idmapped workdir it may only
        // delete files whose owner is mapped, so the script belongs to whoever owns the queue.
        Files.setAttribute(tmp, "unix:uid", Files.getAttribute(queue, "unix:uid"));
        Files.setAttribute(tmp, "unix:gid", Files.getAttribute(queue, "unix:gid"));
        Files.move(tmp, queue.resolve(name + ".sh"), StandardCopyOption.ATOMIC_MOVE);
        return name;
    }
}

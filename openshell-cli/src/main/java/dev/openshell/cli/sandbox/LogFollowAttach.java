package dev.openshell.cli.sandbox;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.client.LogFollow;
import dev.openshell.api.sandbox.LogLine;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxPhase;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Attaches through REST alone: the agent's log lines, followed over Server-Sent Events, go to
 * standard output and standard error as the agent wrote them, while the sandbox is polled until its
 * main process has exited; its exit status is returned. There is no standard input, and output
 * arrives as the supervisor ships it (batched), not byte by byte. Like {@code exec}, the output is
 * passed on as the command wrote it (a pipe must get the exact text); {@code openshell logs}, for
 * reading a log in a terminal, escapes control characters.
 */
final class LogFollowAttach implements SandboxAttach {

    private static final Duration FIRST_POLL = Duration.ofMillis(100);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(1);
    /** After the exit, how long the log may stay quiet before the last lines are taken as shipped. */
    private static final Duration QUIET = Duration.ofMillis(500);

    private static final Duration LONGEST_DRAIN = Duration.ofSeconds(3);

    @Override
    public int attach(GatewayClient gateway, Sandbox sandbox, PrintWriter out, PrintWriter err) {
        String name = sandbox.name();
        AtomicLong lastLine = new AtomicLong(System.nanoTime());
        LogFollow follow = gateway.sandboxes().follow(name, null, LogLine.Source.AGENT);
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                follow.forEach(line -> {
                    PrintWriter to = line.stream() == LogLine.Stream.STDERR ? err : out;
                    to.println(line.text());
                    to.flush();
                    lastLine.set(System.nanoTime());
                });
            } catch (ApiException e) {
                // the exit status below still tells how it ended
            }
        });
        try {
            Sandbox ended = awaitExit(gateway, name);
            long drainUntil = System.nanoTime() + LONGEST_DRAIN.toNanos();
            while (System.nanoTime() - lastLine.get() < QUIET.toNanos() && System.nanoTime() < drainUntil) {
                sleep(Duration.ofMillis(50));
            }
            if (ended == null) {
                err.println("openshell: sandbox " + name + " was deleted");
                err.flush();
                return ErrorCode.START_FAILED.exitCode();
            }
            if (ended.exitCode() != null) {
                return ended.exitCode();
            }
            err.println("openshell: sandbox " + name + " is " + SandboxText.phase(ended)
                    + (ended.reason() != null ? ": " + SafeText.oneLine(ended.reason(), 500) : ""));
            err.flush();
            return ErrorCode.START_FAILED.exitCode();
        } finally {
            follow.close();
            try {
                reader.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Polls until the main process has exited (or the sandbox failed or went); null when it was deleted. */
    private static Sandbox awaitExit(GatewayClient gateway, String name) {
        Duration pause = FIRST_POLL;
        while (true) {
            Sandbox s;
            try {
                s = gateway.sandboxes().get(name);
            } catch (ApiException e) {
                if (e.code() == ErrorCode.NOT_FOUND) {
                    return null;
                }
                throw e;
            }
            if (s.exitCode() != null
                    || s.phase() == SandboxPhase.ERROR
                    || s.phase() == SandboxPhase.DELETING
                    || (s.phase() == SandboxPhase.STOPPED)) {
                return s;
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : pause.multipliedBy(2);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.UNAVAILABLE, "interrupted while attached");
        }
    }
}

package dev.openshell.cli.sandbox;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.client.GatewayClient;
import dev.openshell.api.session.SessionMessage;
import dev.openshell.cli.support.TerminalSize;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * Attaches the caller's terminal or streams to a command run over the gateway's streaming exec
 * ({@link StreamingExec}): {@code sandbox exec} and {@code sandbox create -- CMD}. With a terminal,
 * the remote side gets a pseudo-terminal of this window's size, the local one goes to raw mode
 * for the session (restored at the end, also after Ctrl-C or an error) and window changes follow;
 * without, standard output and standard error stay apart.
 *
 * @param command what to run
 * @param tty whether the command gets a terminal
 * @param localTerminal whether our standard input is the user's terminal (then it goes raw)
 * @param stdin what to send to its standard input; null: none (it reads EOF)
 * @param timeout when the sandbox kills it (exit 124); null: never
 */
record ExecAttach(List<String> command, boolean tty, boolean localTerminal, InputStream stdin, Duration timeout)
        implements SandboxAttach {

    private static final TerminalSize.Window DEFAULT_WINDOW = new TerminalSize.Window(80, 24);

    @Override
    public int attach(GatewayClient gateway, String sandbox, PrintWriter out, PrintWriter err) {
        TerminalSize.Window window = null;
        if (tty) {
            window = TerminalSize.of(0);
            if (window == null) {
                window = TerminalSize.of(1);
            }
            if (window == null) {
                window = DEFAULT_WINDOW;
            }
        }
        StreamingExec exec = new StreamingExec(new TextSink(out), new TextSink(err));
        exec.start(gateway, sandbox, new StreamingExec.Request(command, window, timeout));
        Thread killOnExit = new Thread(exec::kill, "kill-remote-command");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        // Raw mode only when our own standard input is the terminal: the keystrokes are the command's.
        RawTerminal raw = tty && localTerminal ? RawTerminal.enter() : null;
        WindowChanges windows = window != null && raw != null ? WindowChanges.watch(0, window, exec::resize) : null;
        SessionMessage.ExecExit exit;
        try {
            exec.pump(stdin);
            exit = exec.await();
        } finally {
            if (windows != null) {
                windows.close();
            }
            if (raw != null) {
                raw.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // exiting already
            }
        }
        if (exit.timedOut()) {
            err.println("openshell: the command ran past its timeout"
                    + (timeout != null ? " of " + dev.openshell.api.validation.DurationText.format(timeout) : "")
                    + " and was killed");
            err.flush();
            return ErrorCode.TIMEOUT.exitCode();
        }
        if (exit.error() != null) {
            err.println("openshell: " + SafeText.oneLine(exit.error(), 500));
            err.flush();
        }
        return exit.exitCode();
    }
}

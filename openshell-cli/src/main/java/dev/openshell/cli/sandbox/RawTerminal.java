package dev.openshell.cli.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal switched to raw mode (no echo, no line editing, Ctrl-C and Ctrl-Z
 * passed on as bytes) while a remote terminal session runs, and put back exactly as it was on
 * {@link #close}, which a shutdown hook also calls, so a session ended by a signal or an
 * exception does not leave the user's shell without echo. Uses {@code stty} on {@code /dev/tty}:
 * two short processes per session, never per keystroke.
 */
final class RawTerminal implements AutoCloseable {

    private static final File TTY = new File("/dev/tty");

    private final String saved;
    private final Thread restoreOnExit;
    private boolean restored;

    private RawTerminal(String saved) {
        this.saved = saved;
        this.restoreOnExit = new Thread(this::restore, "restore-terminal");
    }

    /** Raw mode now; null when there is no terminal to change (the session still runs). */
    static RawTerminal enter() {
        String saved = stty(List.of("-g"));
        if (saved == null || saved.isBlank()) {
            return null;
        }
        RawTerminal raw = new RawTerminal(saved.strip());
        Runtime.getRuntime().addShutdownHook(raw.restoreOnExit);
        if (stty(List.of("raw", "-echo")) == null) {
            raw.close();
            return null;
        }
        return raw;
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(restoreOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs (or ran) restore itself
        }
    }

    private synchronized void restore() {
        if (!restored) {
            restored = true;
            stty(List.of(saved));
        }
    }

    /** Runs {@code stty ARGS} on the terminal; its output, or null when it failed. */
    private static String stty(List<String> args) {
        if (!TTY.canRead()) {
            return null;
        }
        List<String> argv = new ArrayList<>();
        argv.add("stty");
        argv.addAll(args);
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

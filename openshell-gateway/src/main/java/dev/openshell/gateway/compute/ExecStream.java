package dev.openshell.gateway.compute;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A running command with its streams attached (streaming exec). Closing it kills the command. */
public interface ExecStream extends AutoCloseable {

    OutputStream stdin();

    InputStream stdout();

    InputStream stderr();

    /** Completes with the exit status. */
    CompletableFuture<Integer> exitCode();

    /** A terminal's new size, for a command started with a TTY. */
    default void resize(int columns, int rows) {}

    @Override
    void close();
}

package dev.openshell.sandbox.linux;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One platform thread that lives inside a sandbox's network namespace, so that sockets opened on it
 * belong to that namespace.
 *
 * <p>{@code setns(CLONE_NEWNET)} moves only the calling thread, and a socket keeps the namespace it
 * was created in for its whole life, whichever thread later connects, reads or writes it. So the
 * supervisor (host namespace) creates a socket here and then uses it from anywhere. The thread never
 * returns to the host namespace; it ends when the helper is closed. The SSH server's port
 * forwarding, caller identity's {@link SockDiag} for another namespace and the tests' fake
 * internet all use this one helper.
 */
public final class NetworkNamespaceThread implements AutoCloseable {

    private final Path namespaceFile;
    private final ExecutorService executor;
    private final CompletableFuture<Void> entered = new CompletableFuture<>();

    private NetworkNamespaceThread(Path namespaceFile) {
        this.namespaceFile = namespaceFile;
        this.executor = Executors.newSingleThreadExecutor(task -> Thread.ofPlatform()
                .daemon()
                .name("netns-" + namespaceFile)
                .unstarted(() -> {
                    if (enter()) {
                        task.run();
                    }
                }));
    }

    /** Starts the thread and enters {@code namespaceFile} ({@code /var/run/netns/NAME} or {@code /proc/PID/ns/net}). */
    public static NetworkNamespaceThread enter(Path namespaceFile) throws IOException {
        NetworkNamespaceThread thread = new NetworkNamespaceThread(namespaceFile);
        thread.executor.submit(() -> {});
        try {
            thread.entered.get();
            return thread;
        } catch (ExecutionException e) {
            thread.close();
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            thread.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while entering " + namespaceFile, e);
        }
    }

    private boolean enter() {
        try {
            int fd = Libc.open(namespaceFile.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            try {
                Libc.setns(fd, Libc.CLONE_NEWNET);
            } finally {
                Libc.close(fd);
            }
            entered.complete(null);
            return true;
        } catch (IOException | RuntimeException e) {
            entered.completeExceptionally(
                    new IOException("cannot enter network namespace " + namespaceFile + ": " + e.getMessage(), e));
            return false;
        }
    }

    /** Runs {@code task} inside the namespace and waits for its result. */
    public <T> T call(Callable<T> task) throws IOException {
        Future<T> future = executor.submit(task);
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted inside network namespace " + namespaceFile, e);
        }
    }

    public Path namespaceFile() {
        return namespaceFile;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

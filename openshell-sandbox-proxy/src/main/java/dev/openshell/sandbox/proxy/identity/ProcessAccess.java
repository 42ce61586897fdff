package dev.openshell.sandbox.proxy.identity;

/**
 * Opens {@link ProcessView}s: through kept-open procfs descriptors ({@link ProcHandles}) or by
 * path ({@link ProcPaths}, for a fixture proc root or without native access). Thread-safe.
 */
interface ProcessAccess extends AutoCloseable {

    /** Starts one resolution's reads (scratch buffers, call counts). */
    Lookup begin();

    /** Ends a resolution started with {@link #begin}. */
    void end(Lookup lookup);

    /** A view of {@code pid}, possibly kept from earlier, or null when there is no such process. */
    ProcessView open(Lookup lookup, int pid);

    /**
     * A view of {@code pid} opened now, never one kept from earlier: for when a kept view failed
     * (its process exited and the pid may name a new one). Null when there is no such process.
     */
    ProcessView reopen(Lookup lookup, int pid);

    /** Releases what is kept; views leased meanwhile stay usable until closed. */
    @Override
    void close();
}

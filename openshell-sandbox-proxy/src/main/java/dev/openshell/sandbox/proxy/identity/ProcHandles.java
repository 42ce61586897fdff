package dev.openshell.sandbox.proxy.identity;

import dev.openshell.sandbox.linux.ProcSyscalls;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Process views through kept-open procfs descriptors ({@link ProcHandle}), the most recently used
 * {@value #CAPACITY} processes (recent callers and their ancestors) kept between resolutions. A
 * kept handle either still reaches the process that had the pid when it was opened or fails; the
 * resolver then {@linkplain #reopen reopens} the pid. Evicted and {@linkplain #close closed}
 * handles are closed once the last lookup using them is done. Thread-safe.
 */
final class ProcHandles implements ProcessAccess {

    static final int CAPACITY = 64;

    /** Least recently used first. */
    private final LinkedHashMap<Integer, ProcHandle> kept = new LinkedHashMap<>(16, 0.75f, true);

    private boolean closed;

    @Override
    public Lookup begin() {
        return new Lookup(ProcSyscalls.borrow());
    }

    @Override
    public void end(Lookup lookup) {
        ProcSyscalls.give(lookup.buffers);
    }

    @Override
    public ProcessView open(Lookup lookup, int pid) {
        synchronized (this) {
            ProcHandle h = kept.get(pid);
            if (h != null && h.acquire()) {
                return new Lease(h);
            }
        }
        return reopen(lookup, pid);
    }

    @Override
    public ProcessView reopen(Lookup lookup, int pid) {
        ProcHandle h = ProcHandle.open(lookup.buffers, pid);
        synchronized (this) {
            if (h == null) {
                drop(kept.remove(pid));
                return null;
            }
            if (!closed && h.acquire()) { // the reference the cache holds
                drop(kept.put(pid, h));
                if (kept.size() > CAPACITY) {
                    Iterator<Map.Entry<Integer, ProcHandle>> eldest =
                            kept.entrySet().iterator();
                    ProcHandle evicted = eldest.next().getValue();
                    eldest.remove();
                    drop(evicted);
                }
            }
        }
        return new Lease(h);
    }

    /** How many processes are kept open (for tests). */
    synchronized int size() {
        return kept.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        kept.values().forEach(ProcHandles::drop);
        kept.clear();
    }

    private static void drop(ProcHandle h) {
        if (h != null) {
            h.release();
        }
    }

    /** One lookup's use of a handle; closing it more than once releases it once. */
    private static final class Lease implements ProcessView {

        private final ProcHandle handle;
        private boolean closed;

        Lease(ProcHandle handle) {
            this.handle = handle;
        }

        @Override
        public int pid() {
            return handle.pid();
        }

        @Override
        public long startTime() {
            return handle.startTime();
        }

        @Override
        public long probe(Lookup lookup, int fd) {
            return handle.probe(lookup.buffers, fd);
        }

        @Override
        public int[] fds(Lookup lookup) {
            return handle.fds(lookup.buffers);
        }

        @Override
        public String exe(Lookup lookup) throws IOException {
            return handle.exe(lookup.buffers);
        }

        @Override
        public ProcFs.Stat stat(Lookup lookup) {
            return handle.stat(lookup.buffers);
        }

        @Override
        public Executable executable(Lookup lookup) {
            return new Executable() {
                @Override
                public FileVersion version() throws IOException {
                    return handle.exeVersion(lookup.buffers);
                }

                @Override
                public java.io.InputStream open() throws IOException {
                    return handle.openExe(lookup.buffers);
                }

                @Override
                public String describe() {
                    return "/proc/" + handle.pid() + "/exe";
                }
            };
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                handle.release();
            }
        }
    }
}

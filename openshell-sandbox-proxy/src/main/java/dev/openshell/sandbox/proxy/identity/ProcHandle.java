package dev.openshell.sandbox.proxy.identity;

import dev.openshell.sandbox.linux.ProcSyscalls;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kept-open procfs descriptors of one process: {@code /proc/<pid>} ({@code O_PATH}), its {@code
 * fd} directory and its {@code stat} file. A descriptor of {@code /proc/<pid>} stays bound to the
 * process it was opened on: once that process is gone, every lookup and read through it fails,
 * even when the pid names a new process by then. Each read is one system call: {@code
 * readlinkat(fdDir, "17")}, {@code readlinkat(dir, "exe")}, {@code statx(dir, "exe")}, {@code
 * pread(stat, 0)}.
 *
 * <p>Reference-counted: the descriptors are closed when the last holder (the {@link ProcHandles}
 * cache, or a lookup using it) releases it, and by a {@link Cleaner} if it becomes unreachable
 * first. Thread-safe.
 */
final class ProcHandle {

    private static final Cleaner CLEANER = Cleaner.create();
    /** Beyond this the entries of {@code getdents64} may not all have fit into one read. */
    private static final int MAX_DIRENT = 280;

    private final int pid;
    private final long startTime;
    private final int dir;
    private final int fdDir;
    private final int stat;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final Cleaner.Cleanable cleanable;
    /** The last {@code exe} target and its path, so an unchanged target costs no decoding. */
    private volatile ExeName lastExe;

    private record ExeName(byte[] target, String path) {}

    private ProcHandle(int pid, long startTime, int dir, int fdDir, int stat) {
        this.pid = pid;
        this.startTime = startTime;
        this.dir = dir;
        this.fdDir = fdDir;
        this.stat = stat;
        this.cleanable = CLEANER.register(this, new Closer(dir, fdDir, stat));
    }

    /**
     * Opens the descriptors of {@code pid} (under {@code /proc}) and reads its start time; null
     * when there is no such process (or it cannot be opened: the caller then fails closed). The
     * new handle holds one reference, the caller's.
     */
    static ProcHandle open(ProcSyscalls.Buffers b, int pid) {
        int dir = ProcSyscalls.openAt(
                b, ProcSyscalls.AT_FDCWD, b.path("/proc/", pid), ProcSyscalls.O_PATH | ProcSyscalls.O_DIRECTORY);
        if (dir < 0) {
            return null;
        }
        int fdDir = ProcSyscalls.openAt(b, dir, ProcSyscalls.FD, ProcSyscalls.O_RDONLY | ProcSyscalls.O_DIRECTORY);
        int stat = fdDir < 0 ? -1 : ProcSyscalls.openAt(b, dir, ProcSyscalls.STAT, ProcSyscalls.O_RDONLY);
        ProcFs.Stat s = stat < 0 ? null : readStat(b, stat);
        if (s == null) {
            ProcSyscalls.close(stat);
            ProcSyscalls.close(fdDir);
            ProcSyscalls.close(dir);
            return null;
        }
        return new ProcHandle(pid, s.startTime(), dir, fdDir, stat);
    }

    int pid() {
        return pid;
    }

    long startTime() {
        return startTime;
    }

    /** Takes a reference; false when the handle is already closed. */
    boolean acquire() {
        while (true) {
            int r = refs.get();
            if (r <= 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; the last one closes the descriptors. */
    void release() {
        if (refs.decrementAndGet() == 0) {
            cleanable.clean();
        }
    }

    /** See {@link ProcessView#probe}. */
    long probe(ProcSyscalls.Buffers b, int fd) {
        int n = ProcSyscalls.readlinkAt(b, fdDir, b.fdName(fd));
        if (n < 0) {
            return ProcessView.MISSING;
        }
        return socketInode(b, n);
    }

    /** See {@link ProcessView#fds}. Lists under a lock: the directory descriptor has one offset. */
    synchronized int[] fds(ProcSyscalls.Buffers b) {
        if (ProcSyscalls.rewind(b, fdDir) < 0) {
            return null;
        }
        int[] out = new int[64];
        int count = 0;
        while (true) {
            int n = ProcSyscalls.getdents64(b, fdDir);
            if (n < 0) {
                return null;
            }
            for (int off = 0; off < n; ) {
                int reclen = Short.toUnsignedInt(b.data.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + 16));
                int number = parseNumber(b.data, off + 19);
                if (number >= 0) {
                    if (count == ProcessView.MAX_LISTED) {
                        return null;
                    }
                    if (count == out.length) {
                        out = Arrays.copyOf(out, count * 2);
                    }
                    out[count++] = number;
                }
                off += reclen;
            }
            // the kernel stops early only when the next entry does not fit: room left means the end
            if (n == 0 || n <= b.data.byteSize() - MAX_DIRENT) {
                break;
            }
        }
        int[] fds = Arrays.copyOf(out, count);
        Arrays.sort(fds);
        return fds;
    }

    /** See {@link ProcessView#exe}. */
    String exe(ProcSyscalls.Buffers b) throws IOException {
        int n = ProcSyscalls.readlinkAt(b, dir, ProcSyscalls.EXE);
        if (n < 0) {
            throw new IOException("readlink /proc/" + pid + "/exe: errno " + -n);
        }
        MemorySegment.copy(b.data, ValueLayout.JAVA_BYTE, 0, b.bytes, 0, n);
        ExeName last = lastExe;
        if (last != null && Arrays.equals(b.bytes, 0, n, last.target(), 0, last.target().length)) {
            return last.path();
        }
        byte[] target = Arrays.copyOf(b.bytes, n);
        String path = ProcFs.withoutDeletedMarker(new String(target, StandardCharsets.UTF_8));
        lastExe = new ExeName(target, path);
        return path;
    }

    /** See {@link ProcessView#stat}. */
    ProcFs.Stat stat(ProcSyscalls.Buffers b) {
        return readStat(b, stat);
    }

    /** The executed file's version ({@code statx} through the {@code exe} magic link). */
    FileVersion exeVersion(ProcSyscalls.Buffers b) throws IOException {
        int rc = ProcSyscalls.statx(b, dir, ProcSyscalls.EXE);
        if (rc < 0) {
            throw new IOException("statx /proc/" + pid + "/exe: errno " + -rc);
        }
        return new FileVersion(b.statxDevice(), b.statxInode(), b.statxSize(), b.statxMtimeNanos());
    }

    /** The executed file's content, read through a descriptor opened on the {@code exe} magic link. */
    InputStream openExe(ProcSyscalls.Buffers b) throws IOException {
        int fd = ProcSyscalls.openAt(b, dir, ProcSyscalls.EXE, ProcSyscalls.O_RDONLY);
        if (fd < 0) {
            throw new IOException("open /proc/" + pid + "/exe: errno " + -fd);
        }
        return new DescriptorStream(fd);
    }

    private static ProcFs.Stat readStat(ProcSyscalls.Buffers b, int statFd) {
        int n = ProcSyscalls.pread(b, statFd, b.data, 0);
        if (n <= 0 || n == b.data.byteSize()) {
            return null; // gone (ESRCH), or not a stat line
        }
        MemorySegment.copy(b.data, ValueLayout.JAVA_BYTE, 0, b.bytes, 0, n);
        return ProcFs.parseStat(b.bytes, n);
    }

    /** The inode of a link target {@code socket:[inode]} read into {@code b}, or {@link ProcessView#NOT_SOCKET}. */
    private static long socketInode(ProcSyscalls.Buffers b, int n) {
        if (n < 10 || n > 32) {
            return ProcessView.NOT_SOCKET;
        }
        byte[] link = b.bytes;
        MemorySegment.copy(b.data, ValueLayout.JAVA_BYTE, 0, link, 0, n);
        if (link[n - 1] != ']' || !Arrays.equals(link, 0, 8, SOCKET_PREFIX, 0, 8)) {
            return ProcessView.NOT_SOCKET;
        }
        long inode = 0;
        for (int i = 8; i < n - 1; i++) {
            byte c = link[i];
            if (c < '0' || c > '9') {
                return ProcessView.NOT_SOCKET;
            }
            inode = inode * 10 + (c - '0');
        }
        return inode;
    }

    private static final byte[] SOCKET_PREFIX = "socket:[".getBytes(StandardCharsets.US_ASCII);

    /** A decimal name at {@code offset} (NUL-terminated), or -1 ({@code .}, {@code ..}). */
    private static int parseNumber(MemorySegment data, long offset) {
        int v = 0;
        int digits = 0;
        for (long i = offset; ; i++) {
            byte c = data.get(ValueLayout.JAVA_BYTE, i);
            if (c == 0) {
                return digits == 0 ? -1 : v;
            }
            if (c < '0' || c > '9' || ++digits > 9) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
    }

    /** Closes the descriptors once, whether released or after the handle became unreachable. */
    private record Closer(int dir, int fdDir, int stat) implements Runnable {
        @Override
        public void run() {
            ProcSyscalls.close(stat);
            ProcSyscalls.close(fdDir);
            ProcSyscalls.close(dir);
        }
    }

    /** The executable's bytes through its own descriptor, closed with the stream. */
    private static final class DescriptorStream extends InputStream {

        private final int fd;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment buffer = arena.allocate(64 * 1024);
        private final ProcSyscalls.Buffers calls = ProcSyscalls.borrow();
        private long offset;
        private boolean closed;

        DescriptorStream(int fd) {
            this.fd = fd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("closed");
            }
            if (len == 0) {
                return 0;
            }
            MemorySegment target = buffer.asSlice(0, Math.min(len, buffer.byteSize()));
            int n = ProcSyscalls.pread(calls, fd, target, offset);
            if (n < 0) {
                throw new IOException("read of an executable failed: errno " + -n);
            }
            if (n == 0) {
                return -1;
            }
            MemorySegment.copy(target, ValueLayout.JAVA_BYTE, 0, into, off, n);
            offset += n;
            return n;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                ProcSyscalls.close(fd);
                arena.close();
                ProcSyscalls.give(calls);
            }
        }
    }
}

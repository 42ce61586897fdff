package dev.openshell.sandbox.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The few Linux calls caller identity makes on procfs, as direct downcalls: {@code openat},
 * {@code readlinkat}, {@code pread}, {@code statx}, {@code getdents64}, {@code lseek} and {@code
 * close}, each returning the kernel's result or {@code -errno}. Paths are relative to a directory
 * descriptor, so a lookup never walks from {@code /} and, with a descriptor of {@code
 * /proc/<pid>}, never reaches another process. Calls need a {@link Buffers} (native scratch
 * memory), borrowed for one lookup at a time.
 */
public final class ProcSyscalls {

    public static final int AT_FDCWD = -100;
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_PATH = 0x200000;
    private static final int STATX_MTIME = 0x40;
    private static final int STATX_INO = 0x100;
    private static final int STATX_SIZE = 0x200;
    private static final int SEEK_SET = 0;

    /** {@code O_DIRECTORY} differs between architectures; 0 when the architecture is unknown. */
    public static final int O_DIRECTORY = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> 0x10000;
        case "aarch64" -> 0x4000;
        default -> 0;
    };

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;

    private static final MethodHandle OPENAT;
    private static final MethodHandle READLINKAT;
    private static final MethodHandle PREAD;
    private static final MethodHandle STATX;
    private static final MethodHandle GETDENTS64;
    private static final MethodHandle LSEEK;
    private static final MethodHandle CLOSE;
    private static final boolean AVAILABLE;

    static {
        MethodHandle openat = null;
        MethodHandle readlinkat = null;
        MethodHandle pread = null;
        MethodHandle statx = null;
        MethodHandle getdents = null;
        MethodHandle lseek = null;
        MethodHandle close = null;
        boolean available = false;
        try {
            if (O_DIRECTORY != 0 && "Linux".equals(System.getProperty("os.name"))) {
                openat = downcall("openat", FunctionDescriptor.of(INT, INT, ADDRESS, INT));
                readlinkat = downcall("readlinkat", FunctionDescriptor.of(LONG, INT, ADDRESS, ADDRESS, LONG));
                pread = downcall("pread", FunctionDescriptor.of(LONG, INT, ADDRESS, LONG, LONG));
                statx = downcall("statx", FunctionDescriptor.of(INT, INT, ADDRESS, INT, INT, ADDRESS));
                getdents = downcall("getdents64", FunctionDescriptor.of(LONG, INT, ADDRESS, LONG));
                lseek = downcall("lseek", FunctionDescriptor.of(LONG, INT, LONG, INT));
                close = Downcalls.functionWithoutErrno("close", FunctionDescriptor.of(INT, INT));
                available = true;
            }
        } catch (RuntimeException | LinkageError unavailable) {
            // no native access (or not Linux): callers fall back to java.nio over /proc
        }
        OPENAT = openat;
        READLINKAT = readlinkat;
        PREAD = pread;
        STATX = statx;
        GETDENTS64 = getdents;
        LSEEK = lseek;
        CLOSE = close;
        AVAILABLE = available;
    }

    /** C strings that never change, allocated once (writing them per call is measurable under C1). */
    public static final MemorySegment EXE = constant("exe");

    public static final MemorySegment STAT = constant("stat");
    public static final MemorySegment FD = constant("fd");
    /** Decimal names of descriptors 0..{@value #NAMED_FDS}-1, for {@code readlinkat(fdDir, "17")}. */
    private static final int NAMED_FDS = 1024;

    private static final MemorySegment[] FD_NAMES = new MemorySegment[NAMED_FDS];

    static {
        for (int fd = 0; fd < NAMED_FDS; fd++) {
            FD_NAMES[fd] = constant(Integer.toString(fd));
        }
    }

    private static final int MAX_POOLED = 16;
    private static final ConcurrentLinkedQueue<Buffers> POOL = new ConcurrentLinkedQueue<>();

    private ProcSyscalls() {}

    private static MemorySegment constant(String text) {
        return Arena.global().allocateFrom(text, StandardCharsets.US_ASCII);
    }

    /** Whether the downcalls linked (Linux, native access enabled, a known architecture). */
    public static boolean available() {
        return AVAILABLE;
    }

    /**
     * Native scratch memory for the calls of one lookup (paths, link targets, file contents,
     * directory entries, statx results, errno), and a count of the calls made through it. Not
     * thread-safe: borrow one per lookup with {@link #borrow()}, give it back with {@link #give}.
     */
    public static final class Buffers {
        private final MemorySegment path;
        /** What the last read, link read or directory listing returned. */
        public final MemorySegment data;

        private final MemorySegment statx;
        private final MemorySegment errno;
        /** Heap copy of {@link #data} for parsing. */
        public final byte[] bytes = new byte[8192];

        private int calls;

        private Buffers() {
            Arena arena = Arena.ofAuto();
            path = arena.allocate(256, 8);
            data = arena.allocate(8192, 8);
            statx = arena.allocate(256, 8);
            errno = Downcalls.callState(arena);
        }

        /** Writes {@code prefix} followed by the decimal {@code number} as a C string into {@link #path}. */
        public MemorySegment path(String prefix, int number) {
            int n = prefix.length();
            for (int i = 0; i < n; i++) {
                path.set(ValueLayout.JAVA_BYTE, i, (byte) prefix.charAt(i));
            }
            int digits = 1;
            for (int rest = number / 10; rest > 0; rest /= 10) {
                digits++;
            }
            for (int i = n + digits - 1; i >= n; i--) {
                path.set(ValueLayout.JAVA_BYTE, i, (byte) ('0' + number % 10));
                number /= 10;
            }
            path.set(ValueLayout.JAVA_BYTE, n + digits, (byte) 0);
            return path;
        }

        /** The name of descriptor {@code fd} in its {@code fd} directory, as a C string. */
        public MemorySegment fdName(int fd) {
            return fd >= 0 && fd < NAMED_FDS ? FD_NAMES[fd] : path("", fd);
        }

        int errno() {
            return Downcalls.errno(errno);
        }

        /** System calls made through these buffers since they were borrowed. */
        public int calls() {
            return calls;
        }

        /**
         * The device of the file {@link #statx} last described, as glibc's {@code makedev} encodes
         * it (so it equals what java.nio reports); the layout of {@code struct statx} is fixed.
         */
        public long statxDevice() {
            long major = Integer.toUnsignedLong(statx.get(INT, 136));
            long minor = Integer.toUnsignedLong(statx.get(INT, 140));
            return ((major & 0xfffL) << 8)
                    | ((major & 0xfffff000L) << 32)
                    | (minor & 0xffL)
                    | ((minor & 0xffffff00L) << 12);
        }

        /** The inode of the file {@link #statx} last described. */
        public long statxInode() {
            return statx.get(LONG, 32);
        }

        /** The size of the file {@link #statx} last described. */
        public long statxSize() {
            return statx.get(LONG, 40);
        }

        /** The modification time, in nanoseconds, of the file {@link #statx} last described. */
        public long statxMtimeNanos() {
            return statx.get(LONG, 112) * 1_000_000_000L + Integer.toUnsignedLong(statx.get(INT, 120));
        }

        /** The first {@code length} bytes of {@link #data} as text (a link target). */
        public String dataString(int length) {
            byte[] bytes = new byte[length];
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, bytes, 0, length);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Scratch buffers for one lookup, from a small pool. */
    public static Buffers borrow() {
        Buffers b = POOL.poll();
        if (b == null) {
            b = new Buffers();
        }
        b.calls = 0;
        return b;
    }

    public static void give(Buffers b) {
        if (POOL.size() < MAX_POOLED) {
            POOL.offer(b);
        }
    }

    /** {@code openat(dirfd, path, flags)}: a descriptor, or {@code -errno}. */
    public static int openAt(Buffers b, int dirfd, MemorySegment path, int flags) {
        b.calls++;
        try {
            int fd = (int) OPENAT.invokeExact(b.errno, dirfd, path, flags | O_CLOEXEC);
            return fd >= 0 ? fd : -b.errno();
        } catch (Throwable e) {
            throw new IllegalStateException("openat failed", e);
        }
    }

    /** {@code readlinkat} into {@link Buffers#data}: the target's length, or {@code -errno}. */
    public static int readlinkAt(Buffers b, int dirfd, MemorySegment path) {
        b.calls++;
        try {
            long n = (long) READLINKAT.invokeExact(b.errno, dirfd, path, b.data, b.data.byteSize());
            return n >= 0 ? (int) n : -b.errno();
        } catch (Throwable e) {
            throw new IllegalStateException("readlinkat failed", e);
        }
    }

    /** {@code pread} into {@code into}: bytes read, or {@code -errno}. */
    public static int pread(Buffers b, int fd, MemorySegment into, long offset) {
        b.calls++;
        try {
            long n = (long) PREAD.invokeExact(b.errno, fd, into, into.byteSize(), offset);
            return n >= 0 ? (int) n : -b.errno();
        } catch (Throwable e) {
            throw new IllegalStateException("pread failed", e);
        }
    }

    /**
     * {@code statx} of {@code path} under {@code dirfd}, following links (magic links included),
     * into {@link Buffers#statx}: 0 or {@code -errno}.
     */
    public static int statx(Buffers b, int dirfd, MemorySegment path) {
        b.calls++;
        try {
            int rc = (int) STATX.invokeExact(b.errno, dirfd, path, 0, STATX_INO | STATX_SIZE | STATX_MTIME, b.statx);
            return rc == 0 ? 0 : -b.errno();
        } catch (Throwable e) {
            throw new IllegalStateException("statx failed", e);
        }
    }

    /** {@code getdents64} into {@link Buffers#data}: bytes of entries, 0 at the end, or {@code -errno}. */
    public static int getdents64(Buffers b, int dirfd) {
        b.calls++;
        try {
            long n = (long) GETDENTS64.invokeExact(b.errno, dirfd, b.data, b.data.byteSize());
            return n >= 0 ? (int) n : -b.errno();
        } catch (Throwable e) {
            throw new IllegalStateException("getdents64 failed", e);
        }
    }

    /** Rewinds a directory descriptor so that {@link #getdents64} lists it afresh. */
    public static int rewind(Buffers b, int dirfd) {
        b.calls++;
        try {
            long rc = (long) LSEEK.invokeExact(b.errno, dirfd, 0L, SEEK_SET);
            return rc >= 0 ? 0 : -b.errno();
        } catch (Throwable e) {
            throw new IllegalStateException("lseek failed", e);
        }
    }

    /** Closes a descriptor; failures are ignored (nothing sensible to do about them). */
    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            int unused = (int) CLOSE.invokeExact(fd);
        } catch (Throwable ignored) {
            // nothing sensible to do about a failed close
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return Downcalls.function(name, descriptor);
    }
}

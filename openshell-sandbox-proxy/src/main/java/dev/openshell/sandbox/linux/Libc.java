package dev.openshell.sandbox.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few Linux C library calls the JDK lacks that the SSH server and {@link NetworkNamespaceThread}
 * need: entering a network namespace, signalling a process, and driving a pseudo-terminal master. Every failure becomes an
 * {@link IOException} carrying {@code strerror(errno)}.
 */
public final class Libc {

    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NOCTTY = 0x100;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int EINTR = 4;
    public static final int EIO = 5;
    private static final long TIOCSWINSZ = 0x5414;
    private static final long TIOCGPGRP = 0x540F;
    private static final long TIOCGSID = 0x5429;
    // Same numbers on every architecture (the unified syscall table, Linux 5.1 and 5.3).
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    private static final short POLLIN = 1;

    private static final MethodHandle OPEN =
            function("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE =
            function("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle SETNS =
            function("setns", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle KILL =
            function("kill", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle POSIX_OPENPT =
            function("posix_openpt", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle GRANTPT =
            function("grantpt", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle UNLOCKPT =
            function("unlockpt", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle PTSNAME_R = Downcalls.functionWithoutErrno(
            "ptsname_r",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle IOCTL_PTR = Downcalls.function(
            "ioctl",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SYSCALL_OPEN = Downcalls.function(
            "syscall",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle SYSCALL_SEND = Downcalls.function(
            "syscall",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle READ = function(
            "read",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = function(
            "write",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle POLL = function(
            "poll",
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    private Libc() {}

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return Downcalls.function(name, descriptor);
    }

    /** {@code open(path, flags)}; the returned descriptor must be {@link #close closed}. */
    static int open(String path, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Downcalls.callState(arena);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags);
            return check(fd, state, "open " + path);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(Downcalls.callState(arena), fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Moves the calling thread into the namespace {@code fd} refers to. */
    static void setns(int fd, int type) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Downcalls.callState(arena);
            check((int) SETNS.invokeExact(state, fd, type), state, "setns");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sends {@code signal} to {@code pid}; a process that is already gone is not an error. */
    public static void kill(long pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) KILL.invokeExact(Downcalls.callState(arena), (int) pid, signal);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A pidfd for {@code pid} ({@code pidfd_open}): it names that very process for as long as it is
     * open, even if the pid is recycled; empty when no such process runs. Close it with {@link #close}.
     */
    public static java.util.OptionalInt pidfdOpen(long pid) {
        try (Arena arena = Arena.ofConfined()) {
            long fd = (long) SYSCALL_OPEN.invokeExact(Downcalls.callState(arena), SYS_PIDFD_OPEN, (int) pid, 0);
            return fd < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of((int) fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sends {@code signal} to the process of {@code pidfd}; false when it has exited. */
    public static boolean pidfdSendSignal(int pidfd, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            long result = (long) SYSCALL_SEND.invokeExact(
                    Downcalls.callState(arena), SYS_PIDFD_SEND_SIGNAL, pidfd, signal, MemorySegment.NULL, 0);
            return result == 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The foreground process group and the session of the terminal whose master is {@code fd}, as
     * pids of this process's PID namespace ({@code TIOCGPGRP}, {@code TIOCGSID} on the master).
     */
    public static long[] terminalGroupAndSession(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Downcalls.callState(arena);
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            check((int) IOCTL_PTR.invokeExact(state, fd, TIOCGPGRP, out), state, "ioctl(TIOCGPGRP)");
            long group = out.get(ValueLayout.JAVA_INT, 0);
            check((int) IOCTL_PTR.invokeExact(state, fd, TIOCGSID, out), state, "ioctl(TIOCGSID)");
            return new long[] {group, out.get(ValueLayout.JAVA_INT, 0)};
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A new pseudo-terminal master (not our controlling terminal), granted and unlocked. */
    public static int openPtyMaster() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Downcalls.callState(arena);
            int fd = check((int) POSIX_OPENPT.invokeExact(state, O_RDWR | O_NOCTTY | O_CLOEXEC), state, "posix_openpt");
            try {
                check((int) GRANTPT.invokeExact(state, fd), state, "grantpt");
                check((int) UNLOCKPT.invokeExact(state, fd), state, "unlockpt");
            } catch (IOException e) {
                close(fd);
                throw e;
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The path of the terminal device that belongs to the master {@code fd}. */
    public static String ptsName(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(128);
            int result = (int) PTSNAME_R.invokeExact(fd, buffer, buffer.byteSize());
            if (result != 0) {
                throw new IOException("ptsname_r: " + strerror(result));
            }
            return buffer.getString(0);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sets the terminal size; the kernel sends SIGWINCH to the terminal's foreground group. */
    public static void setWindowSize(int fd, int rows, int columns) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Downcalls.callState(arena);
            MemorySegment winsize = arena.allocate(8, 2);
            winsize.set(ValueLayout.JAVA_SHORT, 0, (short) rows);
            winsize.set(ValueLayout.JAVA_SHORT, 2, (short) columns);
            check((int) IOCTL_PTR.invokeExact(state, fd, TIOCSWINSZ, winsize), state, "ioctl(TIOCSWINSZ)");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Reads into {@code buffer}; returns the count, 0 at end of file, and retries on EINTR. */
    public static int read(int fd, MemorySegment buffer, Arena arena) throws IOException {
        MemorySegment state = Downcalls.callState(arena);
        try {
            while (true) {
                long n = (long) READ.invokeExact(state, fd, buffer, buffer.byteSize());
                if (n >= 0) {
                    return (int) n;
                }
                int errno = Downcalls.errno(state);
                if (errno != EINTR) {
                    throw new ErrnoException("read", errno);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Writes all of {@code length} bytes of {@code buffer}. */
    public static void writeFully(int fd, MemorySegment buffer, long length, Arena arena) throws IOException {
        MemorySegment state = Downcalls.callState(arena);
        long offset = 0;
        try {
            while (offset < length) {
                long n = (long) WRITE.invokeExact(state, fd, buffer.asSlice(offset), length - offset);
                if (n < 0) {
                    int errno = Downcalls.errno(state);
                    if (errno != EINTR) {
                        throw new ErrnoException("write", errno);
                    }
                } else {
                    offset += n;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Waits up to {@code timeoutMillis} until {@code fd} is readable or hung up; true when it is. */
    public static boolean pollReadable(int fd, int timeoutMillis, Arena arena) throws IOException {
        MemorySegment state = Downcalls.callState(arena);
        MemorySegment pollfd = arena.allocate(8, 4);
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
        pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        try {
            int ready = (int) POLL.invokeExact(state, pollfd, 1L, timeoutMillis);
            if (ready < 0) {
                int errno = Downcalls.errno(state);
                if (errno == EINTR) {
                    return false;
                }
                throw new ErrnoException("poll", errno);
            }
            return ready > 0;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int check(int result, MemorySegment state, String what) throws IOException {
        if (result < 0) {
            throw new ErrnoException(what, Downcalls.errno(state));
        }
        return result;
    }

    static String strerror(int errno) {
        return Downcalls.strerror(errno);
    }

    /** A failed call and its {@code errno}. */
    public static final class ErrnoException extends IOException {

        private final int errno;

        ErrnoException(String call, int errno) {
            super(call + ": " + strerror(errno));
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }
}

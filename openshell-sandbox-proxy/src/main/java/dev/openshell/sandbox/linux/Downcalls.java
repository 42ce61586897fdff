package dev.openshell.sandbox.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The one place the bindings in this package link C library functions: the native linker, the
 * call-state layout that captures {@code errno} right after a call (reading it later would see
 * whatever the JVM did in between), and {@code strerror}. A handle made by {@link #function} takes
 * a call-state segment ({@link #callState}) as its first argument.
 */
final class Downcalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private Downcalls() {}

    /** A handle to the libc function {@code name} that captures {@code errno} into its first argument. */
    static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol(name), descriptor, all);
    }

    /** A handle to the libc function {@code name} whose {@code errno} nobody reads. */
    static MethodHandle functionWithoutErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    /** Scratch memory for one call's captured state, owned by {@code arena}. */
    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The {@code errno} a call left in {@code state}. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** The C library's message for {@code errno}, e.g. "No such file or directory". */
    static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
            return message.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** {@code errno N (message)}, for failures that are reported rather than handled. */
    static String describe(int errno) {
        return "errno " + errno + " (" + strerror(errno) + ")";
    }

    /** Closes {@code fd}; a failed close is ignored, as nothing sensible can be done about it. */
    static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            int unused = (int) Close.HANDLE.invokeExact(fd);
        } catch (Throwable ignored) {
            // nothing sensible to do about a failed close
        }
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
    }

    // linked on first use, so that a JVM without native access fails only where a call is made
    private static final class Strerror {
        static final MethodHandle HANDLE =
                functionWithoutErrno("strerror", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    private static final class Close {
        static final MethodHandle HANDLE =
                functionWithoutErrno("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }
}

package dev.openshell.cli.support;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The width of the terminal on standard output: {@code COLUMNS} when the shell exported it, else
 * the kernel's window size ({@code ioctl(1, TIOCGWINSZ)} through FFM, no process spawned).
 */
public final class TerminalSize {

    private static final long TIOCGWINSZ = 0x5413;

    private TerminalSize() {}

    /** A terminal's size in character cells. */
    public record Window(int columns, int rows) {}

    /** The kernel's window size of the terminal on file descriptor {@code fd}, or null when it is none. */
    public static Window of(int fd) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle ioctl = linker.downcallHandle(
                    linker.defaultLookup().find("ioctl").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                    Linker.Option.firstVariadicArg(2));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment size = arena.allocate(8);
                int rc = (int) ioctl.invokeExact(fd, TIOCGWINSZ, size);
                int rows = Short.toUnsignedInt(size.get(ValueLayout.JAVA_SHORT, 0));
                int cols = Short.toUnsignedInt(size.get(ValueLayout.JAVA_SHORT, 2));
                return rc == 0 && cols > 0 && rows > 0 ? new Window(cols, rows) : null;
            }
        } catch (Throwable t) {
            return null;
        }
    }

    /** The columns of the terminal, or {@code fallback} when they cannot be told. */
    static int columns(int fallback) {
        String env = System.getenv("COLUMNS");
        if (env != null) {
            try {
                int n = Integer.parseInt(env.strip());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // not a number: ask the kernel
            }
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle ioctl = linker.downcallHandle(
                    linker.defaultLookup().find("ioctl").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                    Linker.Option.firstVariadicArg(2));
            try (Arena arena = Arena.ofConfined()) {
                // struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; }
                MemorySegment size = arena.allocate(8);
                int rc = (int) ioctl.invokeExact(1, TIOCGWINSZ, size);
                int cols = Short.toUnsignedInt(size.get(ValueLayout.JAVA_SHORT, 2));
                return rc == 0 && cols > 0 ? cols : fallback;
            }
        } catch (Throwable t) {
            return fallback;
        }
    }
}

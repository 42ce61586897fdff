package dev.openshell.sandbox.proxy.identity;

import java.io.IOException;

/**
 * One process as caller identity reads it: its descriptors, executable and {@code stat}. Every
 * read is made now and fails (null, -1, an exception) once the process is gone. A view is leased
 * from a {@link ProcessAccess} and {@linkplain #close() closed} after use.
 */
interface ProcessView extends AutoCloseable {

    /** {@link #probe} result: no such descriptor, or the process is gone. */
    long MISSING = -1;
    /** {@link #probe} result: the descriptor is something other than a socket. */
    long NOT_SOCKET = 0;

    int pid();

    /** The start time the process had when the view was opened; -1 when not known until {@link #stat}. */
    long startTime();

    /** The inode of the socket descriptor {@code fd} is now, or {@link #MISSING} or {@link #NOT_SOCKET}. */
    long probe(Lookup lookup, int fd);

    /** At most this many descriptors are listed (a listing should stay cheap enough for an event loop). */
    int MAX_LISTED = 1024;

    /**
     * The descriptor numbers the process has now (ascending), or null when it is gone or has more
     * than {@link #MAX_LISTED}.
     */
    int[] fds(Lookup lookup);

    /** The path of the running executable, without the kernel's " (deleted)" marker. */
    String exe(Lookup lookup) throws IOException;

    /** Parent and start time, or null when the process is gone. */
    ProcFs.Stat stat(Lookup lookup);

    /** The executed file, for hashing. */
    Executable executable(Lookup lookup);

    /** Ends the lease; the view must not be used afterwards. */
    @Override
    void close();

    /** Parses a link target {@code socket:[inode]}: the inode, or {@link #NOT_SOCKET}. */
    static long socketInode(CharSequence target) {
        int n = target.length();
        if (n < 10 || !target.toString().startsWith("socket:[") || target.charAt(n - 1) != ']') {
            return NOT_SOCKET;
        }
        long inode = 0;
        for (int i = 8; i < n - 1; i++) {
            char c = target.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_SOCKET;
            }
            inode = inode * 10 + (c - '0');
        }
        return inode;
    }
}

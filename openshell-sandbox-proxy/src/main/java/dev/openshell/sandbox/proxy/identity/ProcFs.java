package dev.openshell.sandbox.proxy.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The few things caller identity needs from a proc filesystem, read by path with java.nio:
 * process lists, parents, open sockets and executables. Every read tolerates processes vanishing
 * underneath it. The tree scan uses it always; per-process reads use it for a fixture proc root
 * or without native access (see {@link ProcHandles} otherwise).
 */
final class ProcFs {

    private static final String DELETED_SUFFIX = " (deleted)";
    /** {@code /proc/<pid>/stat} is a few hundred bytes. */
    private static final int SMALL_FILE = 2048;

    private final Path root;

    ProcFs(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path pidDir(int pid) {
        return root.resolve(Integer.toString(pid));
    }

    /** Every numeric entry of the proc root. */
    List<Integer> allPids() throws IOException {
        List<Integer> pids = new ArrayList<>(256);
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(root)) {
            for (Path p : dir) {
                int pid = parsePid(p.getFileName().toString());
                if (pid > 0) {
                    pids.add(pid);
                }
            }
        }
        return pids;
    }

    /**
     * The root pid and all its descendants. Uses {@code /proc/<pid>/task/<tid>/children} (children
     * can be forked by any thread), falling back to a full parent scan when the kernel lacks it.
     */
    List<Integer> descendantsOf(int rootPid) throws IOException {
        if (!Files.isDirectory(pidDir(rootPid))) {
            throw new NoSuchFileException(pidDir(rootPid).toString());
        }
        if (!Files.exists(pidDir(rootPid)
                .resolve("task")
                .resolve(Integer.toString(rootPid))
                .resolve("children"))) {
            return descendantsByParentScan(rootPid);
        }
        List<Integer> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(rootPid);
        while (!queue.isEmpty()) {
            int pid = queue.poll();
            if (!seen.add(pid)) {
                continue; // a pid recycled while we walked; never loop
            }
            out.add(pid);
            try (DirectoryStream<Path> tasks =
                    Files.newDirectoryStream(pidDir(pid).resolve("task"))) {
                for (Path task : tasks) {
                    addPids(readOrEmpty(task.resolve("children")), queue);
                }
            } catch (IOException gone) {
                // exited while we walked the tree: its children were re-parented and are lost to this scan
            }
        }
        return out;
    }

    private List<Integer> descendantsByParentScan(int rootPid) throws IOException {
        Map<Integer, List<Integer>> children = new HashMap<>();
        for (int pid : allPids()) {
            OptionalInt ppid = parentOf(pid);
            if (ppid.isPresent()) {
                children.computeIfAbsent(ppid.getAsInt(), k -> new ArrayList<>())
                        .add(pid);
            }
        }
        List<Integer> out = new ArrayList<>();
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(rootPid));
        while (!queue.isEmpty()) {
            int pid = queue.poll();
            out.add(pid);
            queue.addAll(children.getOrDefault(pid, List.of()));
        }
        return out;
    }

    /**
     * The parent pid and start time of a process, from {@code /proc/<pid>/stat}.
     *
     * @param startTime clock ticks after boot; with the pid it names one process for the machine's
     *     uptime ({@code -1} when the file does not give it, as in test fixtures)
     */
    record Stat(int ppid, long startTime) {}

    /** The parent pid from {@code /proc/<pid>/stat}, empty when the process is gone. */
    OptionalInt parentOf(int pid) {
        Stat s = stat(pid);
        return s == null ? OptionalInt.empty() : OptionalInt.of(s.ppid());
    }

    /** The process's parent and start time, or null when it is gone. */
    Stat stat(int pid) {
        byte[] stat = readSmall(pidDir(pid).resolve("stat"));
        return parseStat(stat, stat.length);
    }

    /** Parses the first {@code length} bytes of a {@code /proc/<pid>/stat}; null when malformed or empty. */
    static Stat parseStat(byte[] stat, int length) {
        // "pid (comm) S ppid ...": comm may contain spaces and parentheses, so anchor on the last ')'
        int i = length - 1;
        while (i >= 0 && stat[i] != ')') {
            i--;
        }
        if (i < 0) {
            return null;
        }
        i += 2; // ") "
        long ppid = -1;
        long startTime = -1;
        // fields after the comm: state is field 3, ppid field 4, starttime field 22
        for (int field = 3; field <= 22 && i < length; field++) {
            long v = 0;
            boolean any = false;
            while (i < length && stat[i] != ' ' && stat[i] != '\n') {
                byte b = stat[i++];
                if (b >= '0' && b <= '9') {
                    v = v * 10 + (b - '0');
                    any = true;
                }
            }
            i++;
            if (field == 4 && any) {
                ppid = v;
            } else if (field == 22 && any) {
                startTime = v;
            }
        }
        return ppid < 0 ? null : new Stat((int) ppid, startTime);
    }

    /**
     * The number of the process's file descriptor that is the socket {@code socketLink} ({@code
     * socket:[inode]}), or -1 when it holds none (or is gone). Stops at the first match.
     */
    int socketFd(int pid, String socketLink) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir(pid).resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    if (socketLink.equals(Files.readSymbolicLink(fd).toString())) {
                        return parsePid(fd.getFileName().toString());
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed between listing and reading it
                }
            }
        } catch (IOException goneOrForbidden) {
            return -1;
        }
        return -1;
    }

    /** Where descriptor {@code fd} of the process points now, or null when it has no such descriptor. */
    String fdTarget(int pid, int fd) {
        try {
            return Files.readSymbolicLink(fdDir(pid).resolve(Integer.toString(fd)))
                    .toString();
        } catch (IOException closedOrGone) {
            return null;
        }
    }

    /** The descriptor numbers of the process, ascending; null when it is gone or has more than {@code max}. */
    int[] fds(int pid, int max) {
        List<Integer> numbers = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir(pid))) {
            for (Path fd : fds) {
                int n = parsePid(fd.getFileName().toString());
                if (n >= 0) {
                    if (numbers.size() == max) {
                        return null;
                    }
                    numbers.add(n);
                }
            }
        } catch (IOException goneOrForbidden) {
            return null;
        }
        return numbers.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private Path fdDir(int pid) {
        return pidDir(pid).resolve("fd");
    }

    /** The path of the running executable, without the kernel's " (deleted)" marker. */
    String exe(int pid) throws IOException {
        return withoutDeletedMarker(Files.readSymbolicLink(exeLink(pid)).toString());
    }

    static String withoutDeletedMarker(String exeTarget) {
        return exeTarget.endsWith(DELETED_SUFFIX)
                ? exeTarget.substring(0, exeTarget.length() - DELETED_SUFFIX.length())
                : exeTarget;
    }

    /** The magic link that opens the very file a process executes, even if renamed or deleted. */
    Path exeLink(int pid) {
        return pidDir(pid).resolve("exe");
    }

    /**
     * A small procfs file in one read (open, read, close: procfs fills one read completely), or
     * empty when it is gone; a larger regular file is read whole.
     */
    private byte[] readSmall(Path file) {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ByteBuffer.allocate(SMALL_FILE);
            int n = ch.read(buf);
            if (n < 0) {
                return new byte[0];
            }
            if (n == SMALL_FILE) {
                return Files.readAllBytes(file);
            }
            return java.util.Arrays.copyOf(buf.array(), n);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    byte[] readOrEmpty(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    static String socketLink(long inode) {
        return "socket:[" + inode + "]";
    }

    private static void addPids(byte[] list, ArrayDeque<Integer> queue) {
        int v = 0;
        boolean any = false;
        for (byte b : list) {
            if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
                any = true;
            } else if (any) {
                queue.add(v);
                v = 0;
                any = false;
            }
        }
        if (any) {
            queue.add(v);
        }
    }

    static int parsePid(String name) {
        if (name.isEmpty() || name.length() > 9) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }
}

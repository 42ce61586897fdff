package dev.openshell.sandbox.proxy.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Process views that read by path ({@code <root>/<pid>/...}) with java.nio: for a fixture proc
 * root in tests, and for {@code /proc} when native access is unavailable. Keeps nothing open, so
 * a view names whatever process has the pid at the time of each read (the resolver's start-time
 * check guards against a recycled pid). Thread-safe.
 */
final class ProcPaths implements ProcessAccess {

    private final ProcFs proc;

    ProcPaths(ProcFs proc) {
        this.proc = proc;
    }

    @Override
    public Lookup begin() {
        return new Lookup(null);
    }

    @Override
    public void end(Lookup lookup) {}

    @Override
    public ProcessView open(Lookup lookup, int pid) {
        return new View(pid);
    }

    @Override
    public ProcessView reopen(Lookup lookup, int pid) {
        return new View(pid);
    }

    @Override
    public void close() {}

    private final class View implements ProcessView {

        private final int pid;

        View(int pid) {
            this.pid = pid;
        }

        @Override
        public int pid() {
            return pid;
        }

        @Override
        public long startTime() {
            return -1;
        }

        @Override
        public long probe(Lookup lookup, int fd) {
            lookup.pathCalls++;
            String target = proc.fdTarget(pid, fd);
            return target == null ? MISSING : ProcessView.socketInode(target);
        }

        @Override
        public int[] fds(Lookup lookup) {
            lookup.pathCalls++;
            return proc.fds(pid, MAX_LISTED);
        }

        @Override
        public String exe(Lookup lookup) throws IOException {
            lookup.pathCalls++;
            return proc.exe(pid);
        }

        @Override
        public ProcFs.Stat stat(Lookup lookup) {
            lookup.pathCalls++;
            return proc.stat(pid);
        }

        @Override
        public Executable executable(Lookup lookup) {
            Path link = proc.exeLink(pid);
            return new Executable() {
                @Override
                public FileVersion version() throws IOException {
                    lookup.pathCalls++;
                    Map<String, Object> a = Files.readAttributes(link, "unix:dev,ino,size,lastModifiedTime");
                    return new FileVersion(
                            ((Number) a.get("dev")).longValue(),
                            ((Number) a.get("ino")).longValue(),
                            ((Number) a.get("size")).longValue(),
                            ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS));
                }

                @Override
                public InputStream open() throws IOException {
                    return Files.newInputStream(link);
                }

                @Override
                public String describe() {
                    return link.toString();
                }
            };
        }

        @Override
        public void close() {}
    }
}

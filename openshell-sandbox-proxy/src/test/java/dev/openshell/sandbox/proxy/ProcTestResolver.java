package dev.openshell.sandbox.proxy;

import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.IdentityException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Temporary: finds the process behind a loopback client socket via /proc (own namespace only). */
final class ProcTestResolver implements CallerResolver {

    @Override
    public CallerIdentity resolve(InetSocketAddress client, InetSocketAddress proxy) {
        try {
            String port = String.format(Locale.ROOT, ":%04X", client.getPort());
            String proxyPort = String.format(Locale.ROOT, ":%04X", proxy.getPort());
            String inode = null;
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 9 && f[1].endsWith(port) && f[2].endsWith(proxyPort)) {
                        inode = f[9];
                    }
                }
            }
            if (inode == null) {
                throw new IdentityException("identity_unknown", "no socket for port " + client.getPort());
            }
            String link = "socket:[" + inode + "]";
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : procs) {
                    try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
                        for (Path fd : fds) {
                            if (link.equals(Files.readSymbolicLink(fd).toString())) {
                                int pid = Integer.parseInt(p.getFileName().toString());
                                return new CallerIdentity(pid, exe(pid), ancestors(pid), "");
                            }
                        }
                    } catch (IOException ignored) {
                        // process gone or not ours to read
                    }
                }
            }
            throw new IdentityException("identity_unknown", "no process owns socket " + inode);
        } catch (IOException e) {
            throw new IdentityException("identity_unknown", e.getMessage());
        }
    }

    private static String exe(int pid) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe"))
                .toString()
                .replace(" (deleted)", "");
    }

    private static List<String> ancestors(int pid) throws IOException {
        List<String> out = new ArrayList<>();
        int p = ppid(pid);
        while (p > 1 && out.size() < 64) {
            out.add(exe(p));
            p = ppid(p);
        }
        return out;
    }

    private static int ppid(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[1]);
    }
}

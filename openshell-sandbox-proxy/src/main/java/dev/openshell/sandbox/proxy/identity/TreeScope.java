package dev.openshell.sandbox.proxy.identity;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Callers in the proxy's own network namespace, limited to the process tree whose root pid is
 * written to a file that may appear after the proxy starts (a benchmark or a manual run starts the
 * client tree later: {@code sh -c 'echo $$ > F; exec client'}). The file is read when a caller is
 * first resolved, and again when it names a new root; until it exists every caller is denied.
 */
public final class TreeScope implements CallerResolver {

    private final Path pidFile;
    private final BinaryTrust trust;
    private volatile Scoped current;

    private record Scoped(int root, ProcCallerResolver resolver) {}

    public TreeScope(Path pidFile, BinaryTrust trust) {
        this.pidFile = pidFile;
        this.trust = trust;
    }

    @Override
    public CallerIdentity resolve(InetSocketAddress client, InetSocketAddress proxy) {
        Scoped s = current;
        if (s == null) {
            s = reload(-1);
        }
        try {
            return s.resolver().resolve(client, proxy);
        } catch (IdentityException e) {
            // the client may belong to a tree started after the one we know (a new run)
            Scoped next = reload(s.root());
            if (next.root() == s.root()) {
                throw e;
            }
            return next.resolver().resolve(client, proxy);
        }
    }

    @Override
    public CallerIdentity resolveQuickly(InetSocketAddress client, InetSocketAddress proxy) {
        Scoped s = current;
        if (s == null) {
            return null;
        }
        try {
            return s.resolver().resolveQuickly(client, proxy);
        } catch (IdentityException e) {
            return null; // resolve() decides, re-reading the pid file if needed
        }
    }

    @Override
    public void released(InetSocketAddress client) {
        Scoped s = current;
        if (s != null) {
            s.resolver().released(client);
        }
    }

    private synchronized Scoped reload(int known) {
        Scoped s = current;
        if (s != null && s.root() != known) {
            return s;
        }
        int root = readRoot();
        if (s != null && s.root() == root) {
            return s;
        }
        Scoped next = new Scoped(
                root, new ProcCallerResolver(Path.of("/proc"), OptionalInt.empty(), OptionalInt.of(root), trust));
        current = next;
        if (s != null) {
            s.resolver().close(); // lookups still running on it finish or fail closed
        }
        return next;
    }

    @Override
    public synchronized void close() {
        Scoped s = current;
        if (s != null) {
            s.resolver().close();
        }
    }

    private int readRoot() {
        try {
            return Integer.parseInt(new String(Files.readAllBytes(pidFile), StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            throw new IdentityException(
                    ErrorCode.IDENTITY_UNKNOWN,
                    "no process tree to scope callers to yet: cannot read a pid from " + pidFile,
                    e);
        }
    }
}

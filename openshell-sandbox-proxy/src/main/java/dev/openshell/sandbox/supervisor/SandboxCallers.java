package dev.openshell.sandbox.supervisor;

import dev.openshell.sandbox.proxy.identity.BinaryTrust;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.IdentityException;
import dev.openshell.sandbox.proxy.identity.ProcCallerResolver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Identifies the proxy's callers in one sandbox. The proxy must listen before the agent exists
 * (the agent's first instruction may be a request), so the resolver is attached lazily: until a
 * process tree is {@linkplain #addRoot added}, every connection is denied with {@code
 * identity_unknown}, which cannot happen in practice because nothing else runs in the namespace.
 * Each root is a process tree launched into the sandbox (the agent; later SSH sessions); a caller
 * must belong to one of them. All roots share one TOFU record of binaries.
 */
final class SandboxCallers implements CallerResolver {

    private static final Path PROC = Path.of("/proc");

    private final BinaryTrust trust = new BinaryTrust();
    private final Map<Long, ProcCallerResolver> roots = new ConcurrentHashMap<>();
    private volatile long namespacePid;

    /**
     * Callers in the tree rooted at {@code pid} are resolved from now on. The first root also names
     * the namespace whose socket tables are read.
     */
    void addRoot(long pid) {
        if (namespacePid == 0) {
            namespacePid = pid;
        }
        roots.put(
                pid,
                new ProcCallerResolver(PROC, OptionalInt.of((int) namespacePid), OptionalInt.of((int) pid), trust));
    }

    /** Stops resolving callers in the tree rooted at {@code pid} (the session ended). */
    void removeRoot(long pid) {
        roots.remove(pid);
    }

    @Override
    public CallerIdentity resolve(InetSocketAddress client, InetSocketAddress proxy) {
        IdentityException first = null;
        for (ProcCallerResolver resolver : roots.values()) {
            try {
                return resolver.resolve(client, proxy);
            } catch (IdentityException e) {
                if (!"identity_unknown".equals(e.code())) {
                    throw e;
                }
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first != null
                ? first
                : new IdentityException("identity_unknown", "no process has been launched in the sandbox yet");
    }
}

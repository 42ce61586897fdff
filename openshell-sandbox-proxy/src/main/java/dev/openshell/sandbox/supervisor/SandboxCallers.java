package dev.openshell.sandbox.supervisor;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.proxy.identity.BinaryTrust;
import dev.openshell.sandbox.proxy.identity.CallerIdentity;
import dev.openshell.sandbox.proxy.identity.CallerResolver;
import dev.openshell.sandbox.proxy.identity.IdentityException;
import dev.openshell.sandbox.proxy.identity.ProcCallerResolver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Identifies the proxy's callers in one sandbox. The proxy must listen before the agent exists
 * (the agent's first instruction may be a request), so the resolver is {@linkplain #attach
 * attached} once the agent runs; before that every connection is denied with {@code
 * identity_unknown}, which cannot happen in practice because nothing else runs in the namespace.
 *
 * <p>The agent's process tree is searched first (small and fast). A caller outside it (an SSH
 * session, or a process that double-forked out of the tree and now belongs to the sandbox's init)
 * is then looked up among all processes and accepted only if it lives in the sandbox's network
 * namespace: every process there was launched into the sandbox and cannot leave it. Its ancestors
 * end below the sandbox launcher (the relay or the init), so the host processes above it (the
 * supervisor, the SSH server) never count for its identity. Both lookups share one TOFU record of
 * binaries.
 */
final class SandboxCallers implements CallerResolver {

    private static final Path PROC = Path.of("/proc");

    private final BinaryTrust trust = new BinaryTrust();
    private final long namespaceInode;
    private final String launcher;
    private volatile ProcCallerResolver agentTree;
    private volatile ProcCallerResolver anyProcess;

    /**
     * @param namespaceInode the inode of the sandbox's network namespace
     * @param launcher the launcher binary (its real path, as {@code /proc/<pid>/exe} shows it)
     */
    SandboxCallers(long namespaceInode, Path launcher) {
        this.namespaceInode = namespaceInode;
        this.launcher = launcher.toString();
    }

    /** Resolves callers from now on; {@code agentPid} names the namespace and roots the fast path. */
    void attach(long agentPid) {
        anyProcess = new ProcCallerResolver(PROC, OptionalInt.of((int) agentPid), OptionalInt.empty(), trust)
                .withAncestorBoundary(launcher);
        agentTree = new ProcCallerResolver(PROC, OptionalInt.of((int) agentPid), OptionalInt.of((int) agentPid), trust);
    }

    @Override
    public CallerIdentity resolve(InetSocketAddress client, InetSocketAddress proxy) {
        ProcCallerResolver tree = agentTree;
        if (tree == null) {
            throw new IdentityException(ErrorCode.IDENTITY_UNKNOWN, "no process has been launched in the sandbox yet");
        }
        try {
            return tree.resolve(client, proxy);
        } catch (IdentityException e) {
            if (e.code() != ErrorCode.IDENTITY_UNKNOWN) {
                throw e;
            }
            CallerIdentity other = anyProcess.resolve(client, proxy);
            if (!inSandbox(other.pid())) {
                throw new IdentityException(
                        ErrorCode.IDENTITY_UNKNOWN,
                        "caller pid " + other.pid() + " is not in the sandbox's network namespace");
            }
            return other;
        }
    }

    /** The sender of a datagram (a DNS query), looked up as {@link #resolve} looks up a connection. */
    @Override
    public CallerIdentity resolveDatagram(InetSocketAddress client, InetSocketAddress server) {
        ProcCallerResolver tree = agentTree;
        if (tree == null) {
            throw new IdentityException(ErrorCode.IDENTITY_UNKNOWN, "no process has been launched in the sandbox yet");
        }
        try {
            return tree.resolveDatagram(client, server);
        } catch (IdentityException e) {
            if (e.code() != ErrorCode.IDENTITY_UNKNOWN) {
                throw e;
            }
            CallerIdentity other = anyProcess.resolveDatagram(client, server);
            if (!inSandbox(other.pid())) {
                throw new IdentityException(
                        ErrorCode.IDENTITY_UNKNOWN,
                        "caller pid " + other.pid() + " is not in the sandbox's network namespace");
            }
            return other;
        }
    }

    /**
     * Answers on the event loop only for a recent caller in the agent's tree (as {@link #resolve}
     * would: the tree is asked first); anything else is left to {@link #resolve}.
     */
    @Override
    public CallerIdentity resolveQuickly(InetSocketAddress client, InetSocketAddress proxy) {
        ProcCallerResolver tree = agentTree;
        if (tree == null) {
            return null;
        }
        try {
            return tree.resolveQuickly(client, proxy);
        } catch (IdentityException e) {
            if (e.code() != ErrorCode.IDENTITY_UNKNOWN) {
                throw e;
            }
            return null; // resolve() looks among all processes of the namespace
        }
    }

    @Override
    public void released(InetSocketAddress client) {
        ProcCallerResolver tree = agentTree;
        ProcCallerResolver any = anyProcess;
        if (tree != null) {
            tree.released(client);
        }
        if (any != null) {
            any.released(client);
        }
    }

    @Override
    public void close() {
        ProcCallerResolver tree = agentTree;
        ProcCallerResolver any = anyProcess;
        if (tree != null) {
            tree.close();
        }
        if (any != null) {
            any.close();
        }
    }

    private boolean inSandbox(int pid) {
        try {
            return Files.readSymbolicLink(PROC.resolve(pid + "/ns/net"))
                    .toString()
                    .equals("net:[" + namespaceInode + "]");
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.openshell.sandbox.proxy.identity;

import java.util.List;

/**
 * Who opened a connection to the proxy: the process that owns the client socket, its executable,
 * and the executables of its ancestors (nearest first). Never derived from argv.
 *
 * @param pid the owning process (the lowest pid when several share the socket)
 * @param binary absolute path of {@code /proc/<pid>/exe} (without a " (deleted)" suffix)
 * @param ancestors executables of the parent, grandparent, ... up to (excluding) pid 1 or the
 *     sandbox root process's parent
 * @param sha256 hex SHA-256 of the running executable's content
 */
public record CallerIdentity(int pid, String binary, List<String> ancestors, String sha256) {

    public CallerIdentity {
        ancestors = List.copyOf(ancestors);
    }
}

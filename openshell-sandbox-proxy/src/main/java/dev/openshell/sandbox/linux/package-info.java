/**
 * The Linux bindings the JDK lacks, made through FFM downcalls, and nothing else: {@link
 * dev.openshell.sandbox.linux.Downcalls} links the C library and captures {@code errno} once for
 * all of them.
 *
 * <ul>
 *   <li>{@link dev.openshell.sandbox.linux.ProcSyscalls}: {@code openat}/{@code readlinkat}/{@code
 *       statx}/{@code getdents64} on procfs, for caller identity.
 *   <li>{@link dev.openshell.sandbox.linux.SockDiag}: netlink {@code sock_diag} socket lookups by
 *       4-tuple, for caller identity.
 *   <li>{@link dev.openshell.sandbox.linux.KernelRoutes}: netlink {@code RTM_GETROUTE}, for the
 *       proxy's check that a destination is not this host.
 *   <li>{@link dev.openshell.sandbox.linux.OriginalDestination}: {@code SO_ORIGINAL_DST} of a
 *       redirected connection, for the transparent listener.
 *   <li>{@link dev.openshell.sandbox.linux.Libc}: {@code setns}, {@code kill} and pseudo-terminals,
 *       for the SSH server.
 *   <li>{@link dev.openshell.sandbox.linux.NetworkNamespaceThread}: a thread that lives inside a
 *       network namespace, the one way code here runs in the sandbox's namespace.
 * </ul>
 *
 * <p>This package depends on no other package of the sandbox except {@code error}.
 */
package dev.openshell.sandbox.linux;

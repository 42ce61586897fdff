package dev.openshell.sandbox.proxy.identity;

import dev.openshell.sandbox.linux.ProcSyscalls;

/**
 * One resolution in progress: the scratch buffers its procfs calls use (null without native
 * access) and what it spent, added to the resolver's {@link ProcCallerResolver.Stats} at the end.
 * Used by one thread.
 */
final class Lookup {

    final ProcSyscalls.Buffers buffers;
    /** procfs calls made by path (the native ones are counted in the buffers). */
    int pathCalls;
    /** Descriptors read to find the socket. */
    int probes;
    /** Descriptor tables listed. */
    int listings;

    Lookup(ProcSyscalls.Buffers buffers) {
        this.buffers = buffers;
    }

    int calls() {
        return pathCalls + (buffers == null ? 0 : buffers.calls());
    }
}

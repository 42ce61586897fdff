package dev.openshell.sandbox.proxy.identity;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reads who a process is, now: its binary, its ancestors' binaries up to the tree root (or pid 1),
 * and, with a TOFU record, their hashes. Nothing is remembered between reads, so an exec, a
 * replaced binary or a re-parented process is seen at once. Ancestors are read through views of
 * the {@link ProcessAccess} (kept open between connections when it keeps descriptors).
 */
final class IdentityReader {

    private static final int MAX_ANCESTORS = 128;

    private final ProcessAccess processes;
    private final OptionalInt rootPid;
    private final BinaryTrust trust;
    private final String boundary;

    /**
     * @param rootPid the root of the process tree callers must belong to; empty for every process
     * @param trust the TOFU record, or null to skip hashing
     * @param boundary an executable whose process ends the ancestors (itself excluded), or null
     */
    IdentityReader(ProcessAccess processes, OptionalInt rootPid, BinaryTrust trust, String boundary) {
        this.processes = processes;
        this.rootPid = rootPid;
        this.trust = trust;
        this.boundary = boundary;
    }

    /**
     * What {@link #read} read: the identity (null when the process is outside the tree, or when
     * {@code quick} and a binary was not hashed yet) and the process's start time.
     */
    record Description(CallerIdentity identity, long startTime) {}

    /**
     * The binary, ancestors and hash of the process, read now. Null when its start time is not
     * {@code expectedStart} (when given): the pid names another process.
     */
    Description read(Lookup lookup, ProcessView view, boolean quick, long expectedStart) {
        String binary = exe(lookup, view);
        // read after the binary: when the start time matches, the pid named that process throughout
        ProcFs.Stat own = view.stat(lookup);
        if (own == null) {
            throw new IdentityException(
                    ErrorCode.IDENTITY_UNKNOWN, "cannot read the parent of pid " + view.pid() + " (process exited?)");
        }
        if (expectedStart >= 0 && own.startTime() != expectedStart) {
            return null;
        }
        List<ProcessView> chain = new ArrayList<>();
        List<String> ancestors = new ArrayList<>();
        try {
            boolean inTree = collectAncestors(lookup, view.pid(), own, chain, ancestors);
            if (!inTree && rootPid.isPresent()) {
                return new Description(null, own.startTime());
            }
            String sha = null;
            if (trust != null) {
                sha = verify(lookup, view, binary, quick);
                if (sha == null) {
                    return new Description(null, own.startTime());
                }
                // ancestors decide policy too (a rule on /bin/sh admits its children): swapped ones count
                for (int i = 0; i < chain.size(); i++) {
                    if (verify(lookup, chain.get(i), ancestors.get(i), quick) == null) {
                        return new Description(null, own.startTime());
                    }
                }
            }
            if (view.startTime() < 0 && expectedStart >= 0) {
                // read by path: check again that the pid still names the expected process
                ProcFs.Stat now = view.stat(lookup);
                if (now == null || now.startTime() != expectedStart) {
                    return null;
                }
            }
            return new Description(new CallerIdentity(view.pid(), binary, ancestors, sha), own.startTime());
        } finally {
            chain.forEach(ProcessView::close);
        }
    }

    private String verify(Lookup lookup, ProcessView view, String binary, boolean quick) {
        Executable exe = view.executable(lookup);
        return quick ? trust.verifyIfHashed(exe, binary) : trust.verify(exe, binary);
    }

    /**
     * Parent, grandparent, ... up to the root pid (inclusive), the boundary executable or pid 1
     * (both exclusive), each leased into {@code chain} (the caller closes them). Returns whether the
     * walk reached the root pid (always true without one).
     */
    private boolean collectAncestors(
            Lookup lookup, int pid, ProcFs.Stat own, List<ProcessView> chain, List<String> exes) {
        int current = pid;
        ProcFs.Stat stat = own;
        while (chain.size() < MAX_ANCESTORS) {
            if (rootPid.isPresent() && current == rootPid.getAsInt()) {
                return true;
            }
            int ppid = stat.ppid();
            if (ppid <= 1) {
                return rootPid.isEmpty() || rootPid.getAsInt() == ppid;
            }
            ProcessView parent = processes.open(lookup, ppid);
            ProcFs.Stat parentStat = parent == null ? null : parent.stat(lookup);
            if (parent != null && parentStat == null) {
                // a kept view of an earlier process with this pid: open the current one
                parent.close();
                parent = processes.reopen(lookup, ppid);
                parentStat = parent == null ? null : parent.stat(lookup);
            }
            if (parent == null || parentStat == null) {
                if (parent != null) {
                    parent.close();
                }
                throw new IdentityException(
                        ErrorCode.IDENTITY_UNKNOWN,
                        "cannot read the parent of pid " + current + " (pid " + ppid + ", exited?)");
            }
            String exe = exe(lookup, parent);
            if (exe.equals(boundary)) {
                parent.close();
                return rootPid.isEmpty();
            }
            chain.add(parent);
            exes.add(exe);
            current = ppid;
            stat = parentStat;
        }
        return rootPid.isEmpty();
    }

    static String exe(Lookup lookup, ProcessView view) {
        try {
            return view.exe(lookup);
        } catch (IOException e) {
            throw new IdentityException(
                    ErrorCode.IDENTITY_UNKNOWN, "cannot read /proc/" + view.pid() + "/exe (process exited?): " + e, e);
        }
    }
}

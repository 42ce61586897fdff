package dev.openshell.sandbox.proxy.identity;

import java.util.Arrays;
import java.util.List;

/**
 * One search for a socket among the {@link RecentOwners}, reading descriptors in three rounds so
 * that a wrong owner costs little: first every owner's likely descriptors (where this socket was
 * seen, then freed ones), then the others of all owners in turn (open connections oldest first),
 * then a listing of each owner's descriptor directory to read those never seen. A process found
 * gone (or a pid that names another process now) is forgotten after one read. Every read is noted
 * in {@link RecentOwners}. At most {@code budget} descriptor reads. Views opened for the search are
 * closed with it; used by one thread.
 */
final class OwnerSearch implements AutoCloseable {

    /** Where the socket was found: the owner's plan, its view (closed with the search) and the descriptor. */
    record Hit(RecentOwners.Plan plan, ProcessView view, int fd) {}

    private final ProcessAccess processes;
    private final RecentOwners owners;
    private final Lookup lookup;
    private final long inode;
    private final int budget;
    private final List<RecentOwners.Plan> plans;
    private final ProcessView[] views;
    /** Per owner: 0 not opened yet, 1 open, 2 checked alive after a missing descriptor, -1 gone. */
    private final byte[] state;

    OwnerSearch(ProcessAccess processes, RecentOwners owners, Lookup lookup, long inode, int budget) {
        this.processes = processes;
        this.owners = owners;
        this.lookup = lookup;
        this.inode = inode;
        this.budget = budget;
        this.plans = owners.plan(inode);
        this.views = new ProcessView[plans.size()];
        this.state = new byte[plans.size()];
    }

    /** The owner and descriptor holding the socket now, or null (not found within the budget). */
    Hit find() {
        // round 1: where the socket was seen, and freed descriptors, of every owner
        for (int i = 0; i < plans.size(); i++) {
            RecentOwners.Plan p = plans.get(i);
            for (int k = 0; k < p.likely(); k++) {
                Hit hit = read(i, p.fds()[k]);
                if (hit != null || spent()) {
                    return hit;
                }
            }
        }
        // round 2: the other known descriptors, one owner after the other
        int[] next = new int[plans.size()];
        for (int i = 0; i < plans.size(); i++) {
            next[i] = plans.get(i).likely();
        }
        boolean more = true;
        while (more) {
            more = false;
            for (int i = 0; i < plans.size(); i++) {
                int[] fds = plans.get(i).fds();
                if (next[i] < fds.length && state[i] >= 0) {
                    more = true;
                    Hit hit = read(i, fds[next[i]++]);
                    if (hit != null || spent()) {
                        return hit;
                    }
                }
            }
        }
        // round 3: descriptors never seen, from a listing of each owner still alive
        for (int i = 0; i < plans.size(); i++) {
            if (state[i] >= 0 && view(i) != null) {
                Hit hit = readListed(i);
                if (hit != null || spent()) {
                    return hit;
                }
            }
        }
        return null;
    }

    private boolean spent() {
        return lookup.probes >= budget;
    }

    private Hit readListed(int i) {
        RecentOwners.Plan p = plans.get(i);
        lookup.listings++;
        int[] now = views[i].fds(lookup);
        if (now == null) {
            gone(i);
            return null;
        }
        owners.listed(p.pid(), p.startTime(), now);
        int[] known = p.fds().clone();
        Arrays.sort(known);
        for (int fd : now) {
            if (Arrays.binarySearch(known, fd) < 0) {
                Hit hit = read(i, fd);
                if (hit != null || spent()) {
                    return hit;
                }
            }
        }
        return null;
    }

    /** Reads descriptor {@code fd} of owner {@code i}: a hit, or null (noted). */
    private Hit read(int i, int fd) {
        ProcessView view = view(i);
        if (view == null) {
            return null;
        }
        RecentOwners.Plan p = plans.get(i);
        lookup.probes++;
        long found = view.probe(lookup, fd);
        if (found == inode) {
            return new Hit(p, view, fd);
        }
        owners.observed(p.pid(), p.startTime(), fd, found);
        if (found == ProcessView.MISSING && state[i] == 1) {
            // a closed descriptor, or a process that is gone: one stat read tells which
            state[i] = 2;
            if (view.stat(lookup) == null) {
                gone(i);
            }
        }
        return null;
    }

    /** The view of owner {@code i}, opened on first use; null when the process is gone. */
    private ProcessView view(int i) {
        if (state[i] < 0) {
            return null;
        }
        if (state[i] == 0) {
            RecentOwners.Plan p = plans.get(i);
            ProcessView v = processes.open(lookup, p.pid());
            if (v != null && v.startTime() >= 0 && v.startTime() != p.startTime()) {
                // a kept view of another process with this pid: the recorded one may still run
                v.close();
                v = processes.reopen(lookup, p.pid());
            }
            views[i] = v;
            state[i] = 1;
            if (v == null || (v.startTime() >= 0 && v.startTime() != p.startTime())) {
                gone(i); // exited, or the pid names another process now
                return null;
            }
        }
        return views[i];
    }

    private void gone(int i) {
        state[i] = -1;
        RecentOwners.Plan p = plans.get(i);
        owners.forget(p.pid(), p.startTime());
    }

    @Override
    public void close() {
        for (ProcessView v : views) {
            if (v != null) {
                v.close();
            }
        }
    }
}

package dev.openshell.sandbox.users;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A sandbox's claim on a uid (and the gid of the same number), as stored in its lock file: the id,
 * the sandbox and the owning process (pid and start time, so a reused pid is not taken for the
 * owner).
 *
 * @param uid the claimed id, inside {@link UidAllocator}'s block; also the agent's gid
 * @param sandboxId the sandbox that holds it
 * @param ownerPid the process whose death makes the claim stale (the supervisor)
 * @param ownerStartMillis the owner's start time in epoch milliseconds, or 0 if unknown
 */
public record UidClaim(int uid, String sandboxId, long ownerPid, long ownerStartMillis) {

    /** Start times read twice can differ by the clock adjustments between the reads. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    public UidClaim {
        if (!UidAllocator.reserved(uid)) {
            throw new IllegalArgumentException("uid " + uid + " is outside the per-sandbox block");
        }
        if (sandboxId == null || sandboxId.isBlank() || sandboxId.contains("\n")) {
            throw new IllegalArgumentException("invalid sandbox id: " + sandboxId);
        }
        if (ownerPid <= 0) {
            throw new IllegalArgumentException("owner pid must be positive: " + ownerPid);
        }
    }

    /** The agent's gid: the same number as its uid. */
    public int gid() {
        return uid;
    }

    /** Whether the owner still runs: the pid exists and, if recorded, started when it did. */
    public boolean ownerAlive() {
        Optional<ProcessHandle> process = ProcessHandle.of(ownerPid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return false;
        }
        if (ownerStartMillis == 0) {
            return true;
        }
        return process.get()
                .info()
                .startInstant()
                .map(start -> Math.abs(start.toEpochMilli() - ownerStartMillis) <= START_TOLERANCE.toMillis())
                .orElse(true);
    }

    static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /** The lock file's content. */
    String format() {
        return "uid=" + uid + "\nsandbox=" + sandboxId + "\npid=" + ownerPid + "\nstart=" + ownerStartMillis + "\n";
    }

    /** Parses {@link #format()}'s output; empty if the text is not a claim. */
    static Optional<UidClaim> parse(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        try {
            return Optional.of(new UidClaim(
                    Integer.parseInt(fields.get("uid")),
                    fields.get("sandbox"),
                    Long.parseLong(fields.get("pid")),
                    Long.parseLong(fields.getOrDefault("start", "0"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

package dev.openshell.sandbox.net;

import dev.openshell.api.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A sandbox's claim on a {@link Subnet}, as stored in its lock file: the subnet, the sandbox id
 * and the owning process (pid and start time, so a reused pid is not mistaken for the owner).
 *
 * @param subnet the claimed /30
 * @param sandboxId letters, digits, {@code -} and {@code _}, starting with a letter or digit, at
 *     most 48 characters (it names the namespace {@code osh-<id>} and the nft table {@code
 *     osh_<id>})
 * @param ownerPid the process whose death makes the claim stale
 * @param ownerStartMillis the owner's start time in epoch milliseconds, or 0 if unknown
 */
public record SubnetClaim(Subnet subnet, String sandboxId, long ownerPid, long ownerStartMillis) {

    private static final Pattern SANDBOX_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,47}");

    /** Start times read twice can differ by the clock adjustments between the reads. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    public SubnetClaim {
        requireValidId(sandboxId);
        if (ownerPid <= 0) {
            throw new IllegalArgumentException("owner pid must be positive: " + ownerPid);
        }
    }

    /** Rejects ids that cannot name a namespace and an nft table. */
    public static String requireValidId(String sandboxId) {
        if (sandboxId == null || !SANDBOX_ID.matcher(sandboxId).matches()) {
            throw new NetworkException(
                    ErrorCode.SANDBOX_ID_INVALID,
                    "sandbox id '" + sandboxId
                            + "' must be 1-48 letters, digits, '-' or '_', starting with a letter or digit");
        }
        return sandboxId;
    }

    /** The process's start time in epoch milliseconds, or 0 if the OS does not report it. */
    static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
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

    /** The lock file's content. */
    String format() {
        return "index=" + subnet.index() + "\nsandbox=" + sandboxId + "\npid=" + ownerPid + "\nstart="
                + ownerStartMillis + "\n";
    }

    /** Parses {@link #format()}'s output; empty if the text is not a claim. */
    static Optional<SubnetClaim> parse(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        try {
            return Optional.of(new SubnetClaim(
                    new Subnet(Integer.parseInt(fields.get("index"))),
                    fields.get("sandbox"),
                    Long.parseLong(fields.get("pid")),
                    Long.parseLong(fields.getOrDefault("start", "0"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}

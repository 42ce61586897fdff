package dev.openshell.sandbox.users;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.ProcessPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The numeric identity the agent runs as, resolved from the policy's {@code process} section and
 * the sandbox's {@link UidClaim}.
 *
 * <p>{@code run_as_user: sandbox} (the default) means the sandbox's own claimed uid; {@code
 * run_as_group: sandbox} (the default) its own gid of the same number. Any other name is an account
 * (or group) the operator chose, looked up with {@code getent}; a number is taken as is. Explicit
 * ids inside the per-sandbox block are refused: they would be another sandbox's.
 *
 * @param uid the agent's uid (never 0)
 * @param gid the agent's gid (never 0)
 * @param userName what {@code USER} and {@code LOGNAME} say ({@code sandbox} for the sandbox's own
 *     uid, which has no passwd entry)
 * @param ownUid whether {@code uid} is the sandbox's own claimed uid
 */
public record AgentIdentity(int uid, int gid, String userName, boolean ownUid) {

    public AgentIdentity {
        if (uid <= 0 || gid <= 0) {
            throw new IllegalArgumentException("the agent never runs as root: uid " + uid + ", gid " + gid);
        }
    }

    /** Resolves {@code process} for the sandbox holding {@code claim}, looking names up with getent. */
    public static AgentIdentity resolve(ProcessPolicy process, UidClaim claim) {
        return resolve(process, claim, AgentIdentity::getent);
    }

    /**
     * Resolves with {@code lookup} answering {@code "passwd NAME"} / {@code "group NAME"} with the
     * getent line, or null when unknown.
     */
    static AgentIdentity resolve(ProcessPolicy process, UidClaim claim, Function<String, String> lookup) {
        String user = process.runAsUser();
        boolean own = user.equals(ProcessPolicy.DEFAULT_USER);
        int uid;
        if (own) {
            uid = claim.uid();
        } else if (isNumber(user)) {
            uid = explicitId("run_as_user", user);
        } else {
            uid = explicitId("run_as_user", entry(lookup, "passwd", user, "process.run_as_user")[2]);
        }
        String group = process.runAsGroup();
        int gid;
        if (group.equals(ProcessPolicy.DEFAULT_USER)) {
            gid = claim.gid();
        } else if (isNumber(group)) {
            gid = explicitId("run_as_group", group);
        } else {
            gid = explicitId("run_as_group", entry(lookup, "group", group, "process.run_as_group")[2]);
        }
        return new AgentIdentity(uid, gid, user, own);
    }

    /** The process section to hand the launcher: numeric ids, no name lookups left. */
    public ProcessPolicy numeric() {
        return new ProcessPolicy(Integer.toString(uid), Integer.toString(gid));
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }

    private static int explicitId(String key, String text) {
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsersException(
                    ErrorCode.PROCESS_USER_UNKNOWN, "process." + key + ": '" + text + "' is not an id");
        }
        if (id == 0 || id > Integer.MAX_VALUE) {
            throw new UsersException(ErrorCode.PROCESS_USER_RESERVED, "process." + key + ": " + id + " is not allowed");
        }
        if (UidAllocator.reserved(id)) {
            throw new UsersException(
                    ErrorCode.PROCESS_USER_RESERVED,
                    "process." + key + ": " + id + " lies in the per-sandbox ids (" + UidAllocator.FIRST + "-"
                            + (UidAllocator.FIRST + UidAllocator.COUNT - 1)
                            + "), which belong to other sandboxes; leave the default `sandbox` or name another"
                            + " account");
        }
        return (int) id;
    }

    private static String[] entry(Function<String, String> lookup, String database, String name, String key) {
        String line = lookup.apply(database + " " + name);
        String[] fields = line == null ? new String[0] : line.strip().split(":", -1);
        if (fields.length < (database.equals("passwd") ? 4 : 3)) {
            throw new UsersException(
                    ErrorCode.PROCESS_USER_UNKNOWN,
                    key + ": this host has no " + (database.equals("passwd") ? "user" : "group") + " '" + name + "'");
        }
        return fields;
    }

    private static String getent(String query) {
        try {
            int space = query.indexOf(' ');
            List<String> command = List.of("getent", query.substring(0, space), query.substring(space + 1));
            Process process = new ProcessBuilder(dev.openshell.sandbox.linux.SystemTools.resolved(command))
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            return process.exitValue() == 0 ? output.lines().findFirst().orElse(null) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

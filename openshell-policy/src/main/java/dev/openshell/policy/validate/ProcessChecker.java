package dev.openshell.policy.validate;

import dev.openshell.policy.model.ProcessPolicy;
import java.util.regex.Pattern;

/** Rules for {@code process}: valid user and group names or ids, never root. */
final class ProcessChecker {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern ID = Pattern.compile("[0-9]{1,10}");

    private ProcessChecker() {}

    static ProcessPolicy check(ProcessPolicy process, Problems problems) {
        identity(process.runAsUser(), "process.run_as_user", "user", problems);
        identity(process.runAsGroup(), "process.run_as_group", "group", problems);
        return process;
    }

    private static void identity(String value, String at, String what, Problems problems) {
        if (ID.matcher(value).matches()) {
            long id = Long.parseLong(value);
            if (id == 0) {
                problems.add(
                        at,
                        "the sandbox never runs as root (" + what + " id 0); use an unprivileged " + what
                                + " such as `sandbox`");
            } else if (id > 0xFFFF_FFFEL) {
                problems.add(at, what + " id " + value + " is out of range; expected 1..4294967294");
            }
        } else if (value.equals("root")) {
            problems.add(at, "the sandbox never runs as root; use an unprivileged " + what + " such as `sandbox`");
        } else if (!NAME.matcher(value).matches()) {
            problems.add(
                    at,
                    "`" + value + "` is not a valid " + what
                            + " name; expected [a-z_][a-z0-9_-]{0,31} or a numeric id");
        }
    }
}

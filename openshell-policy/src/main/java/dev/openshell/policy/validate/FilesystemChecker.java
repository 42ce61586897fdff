package dev.openshell.policy.validate;

import dev.openshell.policy.model.FilesystemPolicy;
import java.util.ArrayList;
import java.util.List;

/** Rules for {@code filesystem_policy}. */
final class FilesystemChecker {

    private static final String AT = "filesystem_policy";

    private FilesystemChecker() {}

    static FilesystemPolicy check(FilesystemPolicy fs, Problems problems) {
        List<String> readOnly = PathRules.absoluteList(fs.readOnly(), AT + ".read_only", problems, false);
        List<String> readWrite = new ArrayList<>();
        for (int i = 0; i < fs.readWrite().size(); i++) {
            String at = AT + ".read_write[" + i + "]";
            String normal = PathRules.absolute(fs.readWrite().get(i), at, problems, false);
            if ("/".equals(normal)) {
                problems.add(
                        at,
                        "read-write `/` would give the agent the whole filesystem; list the directories it"
                                + " needs to write, e.g. `/tmp`");
            } else if (normal != null) {
                readWrite.add(normal);
            }
        }
        return new FilesystemPolicy(fs.includeWorkdir(), readOnly, readWrite, fs.execFromWritable());
    }
}

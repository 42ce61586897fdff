package dev.openshell.sandbox.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the cgroup hierarchies are mounted, from {@code /proc/self/mountinfo}.
 *
 * @param unified the cgroup v2 mount, if any
 * @param controllers each cgroup v1 controller's mount ({@code memory}, {@code pids}, {@code cpu}, ...)
 */
record CgroupMounts(Optional<Path> unified, Map<String, Path> controllers) {

    static CgroupMounts read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return new CgroupMounts(Optional.empty(), Map.of());
        }
    }

    /** Parses mountinfo lines: {@code ID PARENT DEV ROOT MOUNTPOINT OPTS [TAGS] - FSTYPE SOURCE SUPEROPTS}. */
    static CgroupMounts parse(List<String> mountinfo) {
        Path unified = null;
        Map<String, Path> controllers = new HashMap<>();
        for (String line : mountinfo) {
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (dash < 5 || fields.length < dash + 4) {
                continue;
            }
            Path mountPoint = Path.of(unescape(fields[4]));
            String type = fields[dash + 1];
            if (type.equals("cgroup2") && unified == null) {
                unified = mountPoint;
            } else if (type.equals("cgroup")) {
                for (String option : fields[dash + 3].split(",")) {
                    controllers.putIfAbsent(option, mountPoint);
                }
            }
        }
        controllers.remove("rw");
        controllers.remove("ro");
        return new CgroupMounts(Optional.ofNullable(unified), Map.copyOf(controllers));
    }

    /** Mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

package dev.openshell.cli.sandbox;

import dev.openshell.api.SafeText;
import dev.openshell.api.sandbox.ResourceLimits;
import dev.openshell.api.sandbox.Sandbox;
import dev.openshell.api.sandbox.SandboxPhase;
import dev.openshell.sandbox.cgroup.ByteSize;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How a sandbox reads in a terminal: one table cell per field, or a block of {@code key: value} lines. */
final class SandboxText {

    private SandboxText() {}

    /** {@code sh -c 'exit 3'}: arguments quoted where a shell would need it. */
    static String command(List<String> argv) {
        return argv.stream().map(SandboxText::shellWord).collect(Collectors.joining(" "));
    }

    static String labels(Map<String, String> labels) {
        return labels.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    static String phase(Sandbox s) {
        if (s.phase() == null) {
            return "Unknown";
        }
        if (s.phase() == SandboxPhase.STOPPED && s.exitCode() != null) {
            return "Stopped (exit " + s.exitCode() + ")";
        }
        return s.phase().wire();
    }

    static String details(Sandbox s) {
        StringBuilder b = new StringBuilder();
        line(b, "name", s.name());
        line(b, "id", s.id());
        line(b, "phase", phase(s));
        if (s.reason() != null) {
            line(b, "reason", s.reason());
        }
        line(b, "command", s.command().isEmpty() ? "(the image's default)" : command(s.command()));
        if (s.image() != null) {
            line(b, "image", s.image());
        }
        if (!s.labels().isEmpty()) {
            line(b, "labels", labels(s.labels()));
        }
        if (!s.providers().isEmpty()) {
            line(b, "providers", String.join(", ", s.providers()));
        }
        if (s.resources() != null) {
            line(b, "resources", resources(s.resources()));
        }
        if (s.policyRevision() != null) {
            line(b, "policy", "revision " + s.policyRevision() + " loaded");
        }
        line(b, "created", String.valueOf(s.createdAt()));
        if (s.readyAt() != null) {
            line(b, "ready", s.readyAt().toString());
        }
        return b.toString();
    }

    static String resources(ResourceLimits r) {
        StringBuilder b = new StringBuilder();
        if (r.memoryBytes() != null) {
            b.append("memory ").append(ByteSize.format(r.memoryBytes()));
        }
        if (r.cpus() != null) {
            b.append(b.isEmpty() ? "" : ", ").append("cpus ").append(r.cpus());
        }
        if (r.pids() != null) {
            b.append(b.isEmpty() ? "" : ", ").append("pids ").append(r.pids());
        }
        return b.isEmpty() ? "driver defaults" : b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format("%-10s %s%n", key + ":", SafeText.oneLine(value, 2000)));
    }

    private static String shellWord(String w) {
        if (!w.isEmpty() && w.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_./=:,@%+".indexOf(c) >= 0)) {
            return w;
        }
        return "'" + w.replace("'", "'\\''") + "'";
    }
}

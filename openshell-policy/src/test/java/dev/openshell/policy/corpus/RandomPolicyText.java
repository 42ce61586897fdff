package dev.openshell.policy.corpus;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Generates random policy documents that are mostly plausible (so that many parse and the
 * round trip gets exercised) but drift into invalid values now and then.
 */
final class RandomPolicyText {

    private static final List<String> HOSTS = List.of(
            "api.github.com",
            "\"*.example.com\"",
            "\"**.example.org\"",
            "bücher.example",
            "xn--mnchen-3ya.example",
            "API.Example.COM.",
            "203.0.113.7",
            "\"[2001:db8::1]\"",
            "\"2001:db8::2\"",
            "_svc.example.net");
    private static final List<String> BAD_HOSTS = List.of("\"*\"", "\"*.com\"", "a..b", "\"api.*.com\"");
    private static final List<String> BINARIES = List.of(
            "/usr/bin/curl",
            "/usr/bin/gh",
            "\"/usr/lib/node_modules/**\"",
            "\"/usr/bin/python3*\"",
            "\"/opt/py[23]/bin/python\"",
            "\"/usr/local/bin/pip?\"");
    private static final List<String> BAD_BINARIES = List.of("relative/bin", "/usr/../bin/x");
    private static final List<String> PATHS = List.of("/usr", "/lib/", "//etc//ssl", "/tmp", "/home/agent", "/opt/..x");
    private static final List<String> BAD_PATHS = List.of("rel", "/a/../b", "\"\"");
    private static final List<String> RULE_PATHS =
            List.of("\"/**\"", "/repos", "\"/repos/*/pulls\"", "\"/v?/x\"", "\"/[a-c]x\"", "\"/lit\\\\*\"");
    private static final List<String> BAD_RULE_PATHS = List.of("nope", "\"\"");
    private static final List<String> METHODS = List.of("GET", "POST", "\"*\"", "delete", "PATCH");
    private static final List<String> BAD_METHODS = List.of("\"G T\"", "\"\"");
    private static final List<String> IPS =
            List.of("10.0.0.0/8", "10.1.2.3", "192.168.0.0/16", "\"fd00::/8\"", "203.0.113.0/24", "\"fd12::1\"");
    private static final List<String> BAD_IPS = List.of("127.0.0.1", "10.0.0.1/8", "0.0.0.0/0");
    private static final List<String> ACCESS = List.of("read-only", "read-write", "full");
    private static final List<String> BAD_ACCESS = List.of("admin", "read_only");

    private final RandomGenerator random;

    RandomPolicyText(RandomGenerator random) {
        this.random = random;
    }

    String next() {
        StringBuilder sb = new StringBuilder("version: 1\n");
        if (random.nextInt(3) == 0) {
            sb.append("filesystem_policy:\n  include_workdir: ")
                    .append(random.nextBoolean())
                    .append("\n  read_only: [")
                    .append(pickList(PATHS, BAD_PATHS, 3))
                    .append("]\n  read_write: [")
                    .append(pickList(PATHS, BAD_PATHS, 2))
                    .append("]\n");
        }
        if (random.nextInt(4) == 0) {
            sb.append("landlock: { compatibility: ")
                    .append(random.nextBoolean() ? "best_effort" : "hard_requirement")
                    .append(" }\n");
        }
        if (random.nextInt(4) == 0) {
            sb.append("process: { run_as_user: ")
                    .append(pick(List.of("agent", "sandbox", "\"1000\"", "_svc")))
                    .append(" }\n");
        }
        int policies = random.nextInt(4);
        if (policies > 0) {
            sb.append("network_policies:\n");
        }
        for (int p = 0; p < policies; p++) {
            sb.append("  p").append(p).append(":\n");
            if (random.nextInt(3) == 0) {
                sb.append("    name: \"Policy ").append(p).append("\"\n");
            }
            sb.append("    endpoints:\n");
            int endpoints = 1 + random.nextInt(3);
            for (int e = 0; e < endpoints; e++) {
                endpoint(sb);
            }
            sb.append("    binaries: [")
                    .append(pickList(BINARIES, BAD_BINARIES, 3))
                    .append("]\n");
        }
        return sb.toString();
    }

    private void endpoint(StringBuilder sb) {
        sb.append("      - host: ").append(pick(HOSTS, BAD_HOSTS)).append('\n');
        if (random.nextInt(4) == 0) {
            sb.append("        ports: [")
                    .append(1 + random.nextInt(65535))
                    .append(", ")
                    .append(1 + random.nextInt(65535))
                    .append("]\n");
        } else {
            sb.append("        port: ")
                    .append(random.nextInt(40) == 0 ? 0 : 1 + random.nextInt(65535))
                    .append('\n');
        }
        if (random.nextInt(5) == 0) {
            sb.append("        allowed_ips: [")
                    .append(pickList(IPS, BAD_IPS, 2))
                    .append("]\n");
        }
        if (random.nextBoolean()) {
            return;
        }
        sb.append("        protocol: rest\n");
        if (random.nextInt(4) == 0) {
            sb.append("        enforcement: audit\n");
        }
        if (random.nextBoolean()) {
            sb.append("        access: ").append(pick(ACCESS, BAD_ACCESS)).append('\n');
        } else {
            sb.append("        rules:\n");
            int rules = 1 + random.nextInt(3);
            for (int r = 0; r < rules; r++) {
                sb.append("          - allow: { method: ")
                        .append(pick(METHODS, BAD_METHODS))
                        .append(", path: ")
                        .append(pick(RULE_PATHS, BAD_RULE_PATHS));
                if (random.nextInt(3) == 0) {
                    sb.append(", query: { q: ")
                            .append(random.nextBoolean() ? "\"*.tar.gz\"" : "{ any: [open, closed] }")
                            .append(" }");
                }
                sb.append(" }\n");
            }
        }
        if (random.nextInt(3) == 0) {
            sb.append("        deny_rules:\n          - { method: ")
                    .append(pick(METHODS, BAD_METHODS))
                    .append(", path: ")
                    .append(pick(RULE_PATHS, BAD_RULE_PATHS))
                    .append(" }\n");
        }
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** Mostly a good value; about one pick in forty is a bad one. */
    private String pick(List<String> good, List<String> bad) {
        return random.nextInt(40) == 0 ? pick(bad) : pick(good);
    }

    private String pickList(List<String> good, List<String> bad, int max) {
        int n = 1 + random.nextInt(max);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(pick(good, bad));
        }
        return sb.toString();
    }
}

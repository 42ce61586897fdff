package dev.openshell.policy.corpus;

import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Corpus cases too large to commit as files: size, endpoint-count, path-length, alias-count and
 * nesting limits, each tested right at the boundary and one step past it.
 */
final class GeneratedCases {

    static final String GROUP = "generated/limits";
    private static final String CURL = "/usr/bin/curl";

    /**
     * Budget for the 10,000-endpoint and 1 MiB cases: they do real work (compile included) and
     * the suite runs on small shared machines; a hang still fails.
     */
    private static final Duration BIG = Duration.ofSeconds(10);

    private GeneratedCases() {}

    static List<CorpusCase> all() {
        List<CorpusCase> out = new ArrayList<>();
        out.add(valid(
                        "size-exactly-1MiB",
                        padTo("version: 1\n", PolicyParser.MAX_BYTES, 80),
                        Map.of("endpoint_count", 0))
                .withTimeout(BIG));
        // the same size as one 1 MiB line (a scanner worst case)
        out.add(valid(
                        "size-exactly-1MiB-one-line",
                        padTo("version: 1\n", PolicyParser.MAX_BYTES, Integer.MAX_VALUE),
                        Map.of("endpoint_count", 0))
                .withTimeout(BIG));
        out.add(rejected("size-1MiB-plus-one", padTo("version: 1\n", PolicyParser.MAX_BYTES + 1, 80), error("")));
        out.add(rejected("size-2MiB-of-garbage", "\u0000\u00ff{[".repeat(PolicyParser.MAX_BYTES / 2), error("")));

        out.add(allowLast("endpoints-exactly-10000", endpoints(1, PolicyParser.MAX_ENDPOINTS))
                .withTimeout(BIG));
        out.add(rejected("endpoints-10001-in-one-policy", endpoints(1, PolicyParser.MAX_ENDPOINTS + 1), error(null))
                .withTimeout(BIG));
        out.add(rejected(
                        "endpoints-10002-over-two-policies",
                        endpoints(2, (PolicyParser.MAX_ENDPOINTS + 1) / 2 + 1),
                        error(null))
                .withTimeout(BIG));

        String ok = "/" + "a".repeat(PolicyParser.MAX_PATH_LENGTH - 1);
        String tooLong = ok + "b";
        out.add(valid(
                "read-only-path-4096-chars",
                "version: 1\nfilesystem_policy:\n  read_only: [" + ok + "]\n",
                Map.of("read_only", List.of(ok))));
        out.add(rejected(
                "read-only-path-4097-chars",
                "version: 1\nfilesystem_policy:\n  read_only: [" + tooLong + "]\n",
                error("filesystem_policy.read_only[0]", 3, "4096")));
        out.add(rejected(
                "binary-path-4097-chars",
                "version: 1\nnetwork_policies:\n  p:\n    endpoints: [{host: a.example.com, port: 443}]\n"
                        + "    binaries: [{path: " + tooLong + "}]\n",
                error(List.of("network_policies.p.binaries[0].path", "network_policies.p.binaries[0]"), 5, "4096")));
        out.add(rejected(
                "rule-path-4097-chars",
                "version: 1\nnetwork_policies:\n  p:\n    endpoints:\n      - host: a.example.com\n        port: 443\n"
                        + "        protocol: rest\n        rules:\n          - allow: {method: GET, path: " + tooLong
                        + "}\n    binaries: [/usr/bin/curl]\n",
                error("network_policies.p.endpoints[0].rules[0].allow.path", 9, "4096")));
        out.add(rejected(
                "host-5000-chars",
                "version: 1\nnetwork_policies:\n  p:\n    endpoints: [{host: " + "a".repeat(5000)
                        + ".example.com, port: 443}]\n    binaries: [/usr/bin/curl]\n",
                error("network_policies.p.endpoints[0].host", 4, null)));

        out.add(valid("aliases-exactly-50", aliases(50), Map.of("endpoint_count", 51)));
        out.add(rejected("aliases-51", aliases(51), error((String) null, null, "alias")));

        out.add(rejected(
                "nesting-10000-deep",
                "version: 1\nfilesystem_policy:\n  read_only: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n",
                error(null)));
        out.add(rejected(
                "nesting-10000-deep-mappings",
                "version: 1\nprocess: " + "{a: ".repeat(10_000) + "x" + "}".repeat(10_000) + "\n",
                error(null)));
        return out;
    }

    /** Pads {@code doc} with comment lines of at most {@code lineLength} characters to {@code size} bytes. */
    private static String padTo(String doc, int size, int lineLength) {
        StringBuilder sb = new StringBuilder(doc);
        int lineStart = sb.length();
        sb.append('#');
        while (sb.length() < size - 1) {
            if (sb.length() - lineStart >= lineLength && sb.length() < size - 2) {
                sb.append('\n');
                lineStart = sb.length();
                sb.append('#');
            } else {
                sb.append('x');
            }
        }
        return sb.append('\n').toString();
    }

    /** {@code policies} network policies of {@code perPolicy} endpoints each, hosts h0..hN. */
    private static String endpoints(int policies, int perPolicy) {
        StringBuilder sb = new StringBuilder("version: 1\nnetwork_policies:\n");
        int n = 0;
        for (int p = 0; p < policies; p++) {
            sb.append("  p").append(p).append(":\n    binaries: [/usr/bin/curl]\n    endpoints:\n");
            for (int i = 0; i < perPolicy; i++, n++) {
                sb.append("      - {host: h").append(n).append(".example.com, port: 443}\n");
            }
        }
        return sb.toString();
    }

    private static String aliases(int count) {
        StringBuilder sb =
                new StringBuilder("version: 1\nnetwork_policies:\n  p:\n    binaries: [/usr/bin/curl]\n    endpoints:\n"
                        + "      - {host: h0.example.com, port: &p 443}\n");
        for (int i = 1; i <= count; i++) {
            sb.append("      - {host: h").append(i).append(".example.com, port: *p}\n");
        }
        return sb.toString();
    }

    private static CorpusCase allowLast(String name, String doc) {
        int last = PolicyParser.MAX_ENDPOINTS - 1;
        CorpusRequest r = new CorpusRequest(
                CURL,
                List.of(),
                "h" + last + ".example.com",
                443,
                List.of("93.184.216.34"),
                null,
                null,
                new ExpectedDecision(
                        Verdict.ALLOW,
                        Layer.L4,
                        "p0",
                        last,
                        "endpoints[" + last + "]",
                        List.of(),
                        List.of(),
                        false,
                        List.of(),
                        false));
        return new CorpusCase(
                GROUP,
                name,
                bytes(doc),
                name,
                List.of(),
                null,
                Map.of("endpoint_count", PolicyParser.MAX_ENDPOINTS),
                r,
                Map.of());
    }

    private static CorpusCase valid(String name, String doc, Map<String, Object> model) {
        return new CorpusCase(GROUP, name, bytes(doc), name, List.of(), null, model, null, Map.of());
    }

    private static CorpusCase rejected(String name, String doc, ExpectedError error) {
        return new CorpusCase(GROUP, name, bytes(doc), name, List.of(error), null, null, null, Map.of());
    }

    private static ExpectedError error(String path) {
        return error(path, null, null);
    }

    private static ExpectedError error(String path, Integer line, String fragment) {
        return error(path == null ? List.of() : List.of(path), line, fragment);
    }

    private static ExpectedError error(List<String> paths, Integer line, String fragment) {
        return new ExpectedError(paths, line, null, fragment == null ? List.of() : List.of(fragment), List.of());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

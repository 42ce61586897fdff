package dev.openshell.policy;

import static dev.openshell.policy.PolicyErrors.assertError;
import static dev.openshell.policy.PolicyErrors.errors;
import static dev.openshell.policy.PolicyErrors.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Hostile input: encodings, sizes, aliases. Each must end in a clean validation error, fast. */
class PolicyLimitsTest {

    /**
     * Generous on purpose: the build machine may be heavily shared. A naive walk of the alias
     * cases below visits 2^25 nodes or never ends, far beyond this.
     */
    private static final Duration FAST = Duration.ofSeconds(30);

    @Test
    void invalidUtf8NamesTheByteOffset() {
        byte[] prefix = "version: 1\n# caf\u00e9 ".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(prefix, prefix.length + 2);
        bytes[prefix.length] = (byte) 0xff;
        bytes[prefix.length + 1] = '\n';
        assertError(
                errors(() -> PolicyParser.parse(bytes, "test")).getFirst(),
                "",
                0,
                0,
                "not valid UTF-8 at byte offset 19");
        // Latin-1 text, a truncated multi-byte sequence, and an encoded surrogate are all rejected.
        for (byte[] bad : new byte[][] {
            "version: 1\nx: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1),
            {'v', (byte) 0xe2, (byte) 0x82},
            {'a', ':', ' ', (byte) 0xed, (byte) 0xa0, (byte) 0x80}
        }) {
            assertThat(errors(() -> PolicyParser.parse(bad, "test")).getFirst().message())
                    .startsWith("not valid UTF-8 at byte offset ");
        }
    }

    @Test
    void utf8ByteOrderMarkIsAccepted() {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] doc = "version: 1\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(bom, bom.length + doc.length);
        System.arraycopy(doc, 0, all, bom.length, doc.length);
        assertThat(PolicyParser.parse(all, "bom")).isEqualTo(Policy.denyAll());
    }

    @Test
    void inputOverOneMebibyteIsRejectedBeforeParsing() {
        byte[] big = new byte[PolicyParser.MAX_BYTES + 1];
        Arrays.fill(big, (byte) '#');
        assertError(
                errors(() -> PolicyParser.parse(big, "big")).getFirst(),
                "",
                0,
                0,
                "policy is 1048577 bytes; at most 1048576 (1 MiB) are allowed");
        // Exactly the limit is fine as far as size goes (short comment lines keep this test quick).
        byte[] edge = new byte[PolicyParser.MAX_BYTES];
        for (int i = 0; i < edge.length; i++) {
            edge[i] = (byte) (i % 64 == 63 ? '\n' : i % 64 == 0 ? '#' : 'x');
        }
        byte[] head = "version: 1\n".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, edge, 0, head.length);
        edge[head.length] = '#';
        assertThat(PolicyParser.parse(edge, "edge")).isEqualTo(Policy.denyAll());
    }

    @Test
    void moreThanTenThousandEndpointsAreRejected() {
        assertTimeoutPreemptively(FAST, () -> {
            assertError(
                    only(endpoints(PolicyParser.MAX_ENDPOINTS + 1)),
                    "network_policies",
                    3,
                    3,
                    "the policy has 10001 endpoints; at most 10000 are allowed");
            assertThat(PolicyParser.parse(endpoints(PolicyParser.MAX_ENDPOINTS)).endpointCount())
                    .isEqualTo(PolicyParser.MAX_ENDPOINTS);
        });
    }

    private static String endpoints(int n) {
        StringBuilder sb =
                new StringBuilder("version: 1\nnetwork_policies:\n  many:\n    binaries: [/b]\n    endpoints:\n");
        for (int i = 0; i < n; i++) {
            sb.append("      - {host: h").append(i).append(".example, port: 443}\n");
        }
        return sb.toString();
    }

    @Test
    void anchorsAndAliasesAreAllowed() {
        Policy p = PolicyParser.parse("""
                version: 1
                network_policies:
                  a:
                    endpoints: [{ host: a.example, port: 443 }]
                    binaries: &tools [/usr/bin/curl, /usr/bin/git]
                  b:
                    endpoints: [{ host: b.example, port: 443 }]
                    binaries: *tools
                """);
        assertThat(p.networkPolicies().get("b").binaries())
                .isEqualTo(p.networkPolicies().get("a").binaries());
    }

    @Test
    void classicBillionLaughsIsRejectedFast() {
        StringBuilder sb = new StringBuilder("version: 1\nlol0: &lol0 [lol]\n");
        for (int i = 1; i <= 9; i++) {
            sb.append("lol").append(i).append(": &lol").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ", ").append("*lol").append(i - 1);
            }
            sb.append("]\n");
        }
        String doc = sb.toString();
        PolicyError e = assertTimeoutPreemptively(FAST, () -> only(doc));
        assertThat(e.message()).contains("invalid YAML").contains("aliases");
    }

    @Test
    void aliasExpansionWithinTheAliasLimitIsRejectedFast() {
        // 50 aliases, but each level doubles the previous one: 2^25 nodes if walked naively.
        StringBuilder sb = new StringBuilder("version: 1\nfilesystem_policy:\n  read_only: &a0 [/x]\nx0: &b0 [/y]\n");
        for (int i = 1; i <= 25; i++) {
            sb.append("x")
                    .append(i)
                    .append(": &b")
                    .append(i)
                    .append(" [*b")
                    .append(i - 1)
                    .append(", *b")
                    .append(i - 1)
                    .append("]\n");
        }
        String doc = sb.toString();
        PolicyError e = assertTimeoutPreemptively(FAST, () -> only(doc));
        assertThat(e.message()).contains("billion-laughs guard");
    }

    @Test
    void recursiveAliasesAreRejected() {
        PolicyError e = assertTimeoutPreemptively(FAST, () -> only("version: 1\nx: &a [*a]\n"));
        assertThat(e.message()).contains("recursive alias");
    }

    @Test
    void mergeKeysAreRejectedWithAnExplanation() {
        assertError(
                only("version: 1\nprocess:\n  <<: { run_as_user: agent }\n"),
                "process",
                3,
                3,
                "merge keys (`<<`) are not supported; write the keys out");
    }

    @Test
    void deepNestingIsRejectedCleanly() {
        String deep = "version: 1\nx: " + "[".repeat(500) + "]".repeat(500) + "\n";
        PolicyError e = assertTimeoutPreemptively(FAST, () -> errors(deep).getFirst());
        assertThat(e.message()).containsIgnoringCase("nesting");
    }

    @Test
    void globalTagsAreRejectedNotConstructed() {
        assertError(
                only("version: 1\nprocess: { run_as_user: !!java.io.File /etc/passwd }\n"),
                "",
                2,
                25,
                "invalid YAML: Global tag is not allowed");
        assertError(
                only("version: 1\nprocess: { run_as_user: !local agent }\n"),
                "process.run_as_user",
                2,
                25,
                "expected a string, got a value tagged !local");
    }
}

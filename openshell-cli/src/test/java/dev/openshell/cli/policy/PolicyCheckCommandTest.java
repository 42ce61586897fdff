package dev.openshell.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.ExitCodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCheckCommandTest {

    @TempDir
    Path dir;

    private String policy;

    @BeforeEach
    void writePolicy() {
        policy = PolicyFiles.write(dir, "policy.yaml", PolicyFiles.MIXED);
    }

    private Result check(String... args) {
        List<String> all = new ArrayList<>(List.of("policy", "check", policy));
        all.addAll(List.of(args));
        return CliRunner.run(all.toArray(String[]::new));
    }

    @Test
    void l4Allow() {
        Result r = check("--binary", "/usr/bin/curl", "--host", "raw.githubusercontent.com", "--port", "443");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out())
                .isEqualTo("ALLOW (l4) policy github endpoints[1]: policy github allows /usr/bin/curl to reach"
                        + " raw.githubusercontent.com:443\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void l4DenyWithoutAnyEndpointSuggestsAnUpdate() {
        Result r = check("--binary", "/usr/bin/curl", "--host", "example.org", "--port", "443");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out().lines())
                .containsExactly(
                        "DENY (l4): no policy allows connections to example.org:443",
                        "to allow: add an endpoint example.org:443 for binary /usr/bin/curl to network_policies in the"
                                + " policy file, then run this check again (the schema: docs/policy-reference.md)");
    }

    @Test
    void l4DenyNamesTheBinariesThatAreAllowed() {
        Result r = check("--binary", "/usr/bin/python3", "--host", "api.github.com", "--port", "443");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out())
                .startsWith("DENY (l4)")
                .contains("no policy allows /usr/bin/python3 to reach api.github.com:443; policy github allows it for"
                        + " /usr/bin/gh, /usr/bin/curl")
                .contains("to allow: add an endpoint api.github.com:443 for binary /usr/bin/python3");
    }

    @Test
    void ancestorBinaryCounts() {
        Result r = check(
                "--binary", "/usr/bin/python3",
                "--ancestor", "/bin/bash",
                "--ancestor", "/usr/bin/gh",
                "--host", "raw.githubusercontent.com",
                "--port", "443");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void inspectedEndpointWithoutARequestSaysSo() {
        Result r = check("--binary", "/usr/bin/gh", "--host", "api.github.com", "--port", "443");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out().lines())
                .containsExactly(
                        "ALLOW (l4) policy github endpoints[0]: policy github allows /usr/bin/gh to reach"
                                + " api.github.com:443",
                        "note: HTTP requests to api.github.com:443 are inspected; add --method and --path to check"
                                + " one");
    }

    @Test
    void l7Allow() {
        Result r = check(
                "--binary", "/usr/bin/gh",
                "--host", "api.github.com",
                "--port", "443",
                "--method", "GET",
                "--path", "/repos/acme/widgets?per_page=100");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith("ALLOW (l7) policy github endpoints[0]").doesNotContain("per_page");
    }

    @Test
    void l7DenyByAccessPresetSuggestsAnAllowRule() {
        Result r = check(
                "--binary", "/usr/bin/gh",
                "--host", "api.github.com",
                "--port", "443",
                "--method", "POST",
                "--path", "/repos/acme/widgets/issues");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .startsWith("DENY (l7) policy github endpoints[0]")
                .contains("POST /repos/acme/widgets/issues is not allowed on api.github.com:443 by policy github");
        assertThat(lines.get(1))
                .startsWith("to allow: add an allow rule POST /repos/acme/widgets/issues to the endpoint"
                        + " api.github.com:443 in the policy file")
                .contains("(/usr/bin/gh must be among its policy's binaries)")
                .doesNotContain("openshell policy update");
    }

    @Test
    void l7DenyRuleWinsAndHasNoSuggestion() {
        Result r = check(
                "--binary", "/usr/bin/gh",
                "--host", "api.github.com",
                "--port", "443",
                "--method", "GET",
                "--path", "/repos/acme/widgets/rulesets");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out().lines())
                .singleElement()
                .asString()
                .startsWith("DENY (l7) policy github endpoints[0] deny_rules[0]: ")
                .contains("deny_rules[0]");
    }

    @Test
    void l7EncodedSlashIsDenied() {
        Result r = check(
                "--binary", "/usr/bin/gh",
                "--host", "api.github.com",
                "--port", "443",
                "--method", "GET",
                "--path", "/repos/acme%2Fwidgets");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).startsWith("DENY (l7)").contains("encoded slash");
    }

    @Test
    void l7OnAnL4EndpointIsNotEvaluated() {
        Result r = check(
                "--binary", "/usr/bin/curl",
                "--host", "raw.githubusercontent.com",
                "--port", "443",
                "--method", "DELETE",
                "--path", "/anything");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out())
                .startsWith("ALLOW (l4) policy github endpoints[1]")
                .contains("note: raw.githubusercontent.com:443 is not inspected", "--method and --path were not");
    }

    @Test
    void l7IsNotEvaluatedWhenTheConnectionIsDenied() {
        Result r = check(
                "--binary", "/usr/bin/python3",
                "--host", "api.github.com",
                "--port", "443",
                "--method", "GET",
                "--path", "/");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).startsWith("DENY (l4)");
    }

    @Test
    void auditModeLetsADeniedRequestThrough() {
        Result r = check(
                "--binary", "/usr/bin/curl",
                "--host", "api.example.com",
                "--port", "443",
                "--method", "DELETE",
                "--path", "/things/1");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out())
                .startsWith("AUDIT-ALLOW (l7) policy audited endpoints[0]")
                .doesNotContain("to allow:");
    }

    @Test
    void destinationGuardDeniesLoopbackEvenWhenThePolicyAllowsTheHost() {
        Result r = check(
                "--binary", "/usr/bin/curl",
                "--host", "raw.githubusercontent.com",
                "--port", "443",
                "--ip", "140.82.112.6",
                "--ip", "127.0.0.1");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out())
                .startsWith("DENY (l4)")
                .contains("destination-guard", "127.0.0.1", "loopback")
                .doesNotContain("to allow:");
    }

    @Test
    void ipv6AddressesMayBeBracketed() {
        Result r = check(
                "--binary", "/usr/bin/curl", "--host", "raw.githubusercontent.com", "--port", "443", "--ip", "[::1]");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).contains("loopback");
    }

    @Test
    void anIpLiteralHostIsItsOwnAddress() {
        Result r = check("--binary", "/usr/bin/curl", "--host", "169.254.169.254", "--port", "80");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out()).startsWith("DENY (l4)").contains("169.254.169.254", "link-local");
    }

    @Test
    void privateAddressNeedsAllowedIps() {
        Result denied = check(
                "--binary",
                "/usr/bin/curl",
                "--host",
                "raw.githubusercontent.com",
                "--port",
                "443",
                "--ip",
                "10.0.0.5");
        Result allowed =
                check("--binary", "/usr/bin/git", "--host", "git.corp.example", "--port", "443", "--ip", "10.1.2.3");
        Result outside =
                check("--binary", "/usr/bin/git", "--host", "git.corp.example", "--port", "443", "--ip", "10.2.0.1");

        assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(denied.out()).contains("10.0.0.5", "private address not listed in allowed_ips");
        assertThat(allowed.exitCode()).as(allowed.toString()).isEqualTo(ExitCodes.OK);
        assertThat(outside.exitCode()).as(outside.toString()).isEqualTo(ExitCodes.DENIED);
    }

    @Test
    void publicAddressPassesTheGuard() {
        Result r = check(
                "--binary", "/usr/bin/curl",
                "--host", "raw.githubusercontent.com",
                "--port", "443",
                "--ip", "185.199.108.133",
                "--ip", "2606:50c0:8000::154");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void jsonCarriesBothLayers() {
        Result r = check(
                "-o", "json",
                "--binary", "/usr/bin/gh",
                "--host", "api.github.com",
                "--port", "443",
                "--method", "POST",
                "--path", "/user/repos");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out())
                .startsWith(
                        "{\n  \"verdict\": \"deny\",\n  \"l4\": {\n    \"verdict\": \"allow\",\n    \"layer\": \"l4\",")
                .contains("\"l7\": {\n    \"verdict\": \"deny\",\n    \"layer\": \"l7\",\n    \"policy\": \"github\",")
                .contains("\"inspect\": true", "\"endpoint_index\": 0", "\"suggestion\": \"--add-allow ")
                .endsWith("  \"note\": null\n}\n");
    }

    @Test
    void yamlForAnL4Decision() {
        Result r = check("--binary", "/usr/bin/curl", "--host", "example.org", "--port", "443", "-o", "yaml");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.DENIED);
        assertThat(r.out())
                .startsWith("verdict: \"deny\"\nl4:\n  verdict: \"deny\"\n  layer: \"l4\"\n  policy: null\n")
                .contains("l7: null\n");
    }

    @Test
    void policyFromStandardInput() {
        Result r = CliRunner.runWithStdin(
                PolicyFiles.MIXED,
                "policy",
                "check",
                "-",
                "--binary",
                "/usr/bin/curl",
                "--host",
                "raw.githubusercontent.com",
                "--port",
                "443");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void invalidPolicyIsExitTwoWithEveryError() {
        String bad = PolicyFiles.write(dir, "bad.yaml", PolicyFiles.INVALID);

        Result r = CliRunner.run("policy", "check", bad, "--binary", "/usr/bin/gh", "--host", "h", "--port", "1");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("error: " + bad + " is not a valid policy:");
        assertThat(lines.get(1)).startsWith("  " + bad + ":6:");
    }

    @Test
    void missingPolicyFile() {
        Result r =
                CliRunner.run("policy", "check", "/nonexistent.yaml", "--binary", "/b", "--host", "h", "--port", "1");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).contains("/nonexistent.yaml: no such file");
    }

    @Test
    void badArgumentsAreExitTwoWithOneLineAndAHint() {
        List<List<String>> cases = List.of(
                List.of("--binary", "/b", "--host", "h", "--port", "0"),
                List.of("--binary", "/b", "--host", "h", "--port", "65536"),
                List.of("--binary", "/b", "--host", "h", "--port", "https"),
                List.of("--binary", "/b", "--host", "h", "--port", "443", "--ip", "api.github.com"),
                List.of("--binary", "/b", "--host", "h", "--port", "443", "--ip", "10.0.0.256"),
                List.of("--binary", "/b", "--host", "h", "--port", "443", "--ip", "10.1"),
                List.of("--binary", "curl", "--host", "h", "--port", "443"),
                List.of("--binary", "/b", "--host", "", "--port", "443"),
                List.of("--binary", "/b", "--host", "h", "--port", "443", "--method", "GET"),
                List.of("--binary", "/b", "--host", "h", "--port", "443", "--path", "/"),
                List.of("--binary", "/b", "--host", "h", "--port", "443", "--method", "GET", "--path", "no-slash"),
                List.of("--host", "h", "--port", "443"));
        for (List<String> args : cases) {
            Result r = check(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(args + "\n" + r).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.out()).as(args.toString()).isEmpty();
            assertThat(r.err().lines().toList()).as(args + "\n" + r).hasSize(2);
            assertThat(r.err())
                    .as(args.toString())
                    .startsWith("error: ")
                    .endsWith("See 'openshell policy check --help'.\n");
        }
    }
}

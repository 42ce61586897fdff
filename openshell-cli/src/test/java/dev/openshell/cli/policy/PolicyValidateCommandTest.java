package dev.openshell.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.ExitCodes;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void validFilePrintsValidAndASummary() {
        String file = PolicyFiles.write(dir, "p.yaml", PolicyFiles.MIXED);

        Result r = CliRunner.run("policy", "validate", file);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out())
                .isEqualTo("valid\n3 network policies, 4 endpoints\n"
                        + "filesystem: the baseline (system read-only; the work directory and /tmp writable)\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void singularSummary() {
        String file = PolicyFiles.write(dir, "one.yaml", """
                version: 1
                network_policies:
                  gh:
                    endpoints: [{ host: api.github.com, port: 443 }]
                    binaries: [{ path: /usr/bin/gh }]
                """);

        assertThat(CliRunner.run("policy", "validate", file).out()).startsWith("valid\n1 network policy, 1 endpoint\n");
    }

    @Test
    void aWrittenFilesystemPolicyIsSummarisedAndTheExecOptOutNamed() {
        String file = PolicyFiles.write(dir, "fs.yaml", """
                version: 1
                filesystem_policy:
                  read_only: [/usr, /etc]
                  read_write: [/tmp]
                  exec_from_writable: true
                """);

        assertThat(CliRunner.run("policy", "validate", file).out())
                .endsWith("filesystem: 2 read-only paths, 1 read-write path and the work directory;"
                        + " writable files executable (exec_from_writable)\n");
    }

    @Test
    void readsStandardInputForDash() {
        Result r = CliRunner.runWithStdin(PolicyFiles.MIXED, "policy", "validate", "-");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith("valid\n");
    }

    @Test
    void invalidFileListsEveryErrorWithFileLineColumnAndPath() {
        String file = PolicyFiles.write(dir, "bad.yaml", PolicyFiles.INVALID);

        Result r = CliRunner.run("policy", "validate", file);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .startsWith(file + ":6:")
                .matches(".*:6:\\d+: network_policies\\.gh\\.endpoints\\[0]\\.port: .+");
        assertThat(lines.get(1))
                .startsWith(file + ":8:")
                .matches(".*:8:\\d+: network_policies\\.gh\\.binaries\\[0](\\.path)?: .+");
        assertThat(r.err()).isEqualTo("error: " + file + " is not a valid policy (2 errors)\n");
    }

    @Test
    void invalidStandardInputIsNamedStdin() {
        Result r = CliRunner.runWithStdin(PolicyFiles.INVALID, "policy", "validate", "-");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).startsWith("<stdin>:6:");
    }

    @Test
    void missingFile() {
        Result r = CliRunner.run("policy", "validate", dir.resolve("nope.yaml").toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).isEqualTo(dir.resolve("nope.yaml") + ": no such file\n");
    }

    @Test
    void directoryIsNotAPolicy() {
        Result r = CliRunner.run("policy", "validate", dir.toString());

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out()).startsWith(dir + ": cannot read");
    }

    @Test
    void missingFileArgumentIsAUsageError() {
        Result r = CliRunner.run("policy", "validate");

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err().lines())
                .containsExactly(
                        "error: Missing required parameter: 'FILE'", "See 'openshell policy validate --help'.");
    }

    @Test
    void jsonForAValidPolicy() {
        String file = PolicyFiles.write(dir, "p.yaml", PolicyFiles.MIXED);

        Result r = CliRunner.run("policy", "validate", "-o", "json", file);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).isEqualTo("""
                        {
                          "file": "%s",
                          "valid": true,
                          "network_policies": 3,
                          "endpoints": 4,
                          "errors": []
                        }
                        """.formatted(file));
    }

    @Test
    void jsonForAnInvalidPolicyGoesToStdout() {
        String file = PolicyFiles.write(dir, "bad.yaml", PolicyFiles.INVALID);

        Result r = CliRunner.run("--output", "json", "policy", "validate", file);

        assertThat(r.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.out())
                .startsWith("{\n  \"file\": \"" + file + "\",\n  \"valid\": false,\n  \"errors\": [\n")
                .contains("\"path\": \"network_policies.gh.endpoints[0].port\"", "\"line\": 6")
                .contains("\"line\": 8");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void yaml() {
        Result r = CliRunner.runWithStdin(PolicyFiles.MIXED, "policy", "validate", "-", "-o", "yaml");

        assertThat(r.out()).isEqualTo("""
                        file: "<stdin>"
                        valid: true
                        network_policies: 3
                        endpoints: 4
                        errors: []
                        """);
    }
}

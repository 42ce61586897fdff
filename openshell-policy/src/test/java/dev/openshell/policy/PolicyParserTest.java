package dev.openshell.policy;

import static dev.openshell.policy.PolicyErrors.assertError;
import static dev.openshell.policy.PolicyErrors.errors;
import static dev.openshell.policy.PolicyErrors.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyValidationException;
import dev.openshell.policy.model.ProcessPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Document-level parsing: defaults, the static sections, keys, types and error collection. */
class PolicyParserTest {

    @Test
    void minimalDocumentGetsAllDefaults() {
        Policy p = PolicyParser.parse("version: 1\n");
        assertThat(p).isEqualTo(Policy.denyAll());
        assertThat(p.filesystem().includeWorkdir()).isTrue();
        assertThat(p.landlock().compatibility()).isEqualTo(LandlockPolicy.Compatibility.BEST_EFFORT);
        assertThat(p.process()).isEqualTo(new ProcessPolicy("sandbox", "sandbox"));
        assertThat(p.networkPolicies()).isEmpty();
    }

    @Test
    void staticSectionsAreRead() {
        Policy p = PolicyParser.parse("""
                version: 1
                filesystem_policy:
                  include_workdir: false
                  read_only: [/usr, /lib/, //etc//ssl]
                  read_write: [/tmp]
                landlock: { compatibility: hard_requirement }
                process: { run_as_user: agent, run_as_group: 1000 }
                """);
        assertThat(p.filesystem())
                .isEqualTo(new FilesystemPolicy(false, List.of("/usr", "/lib", "/etc/ssl"), List.of("/tmp")));
        assertThat(p.landlock().compatibility()).isEqualTo(LandlockPolicy.Compatibility.HARD_REQUIREMENT);
        assertThat(p.process()).isEqualTo(new ProcessPolicy("agent", "1000"));
    }

    @Test
    void withoutFilesystemPolicyTheBaselineApplies() {
        Policy p = PolicyParser.parse("version: 1\nnetwork_policies: {}\n");

        assertThat(p.filesystem())
                .isEqualTo(new FilesystemPolicy(
                        true, List.of("/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc"), List.of("/tmp"), false));
        assertThat(p.filesystem()).isEqualTo(FilesystemPolicy.BASELINE);
    }

    @Test
    void aWrittenFilesystemPolicyReplacesTheBaselineWhole() {
        Policy p = PolicyParser.parse("version: 1\nfilesystem_policy: { read_write: [/data] }\n");

        assertThat(p.filesystem()).isEqualTo(new FilesystemPolicy(true, List.of(), List.of("/data"), false));
    }

    @Test
    void execFromWritableIsReadAndDefaultsToFalse() {
        assertThat(PolicyParser.parse("version: 1\nfilesystem_policy: { exec_from_writable: true }\n")
                        .filesystem()
                        .execFromWritable())
                .isTrue();
        assertThat(PolicyParser.parse("version: 1\nfilesystem_policy: { read_only: [/usr] }\n")
                        .filesystem()
                        .execFromWritable())
                .isFalse();
        assertError(
                only("version: 1\nfilesystem_policy:\n  exec_from_writable: \"no\"\n"),
                "filesystem_policy.exec_from_writable",
                3,
                23,
                "expected a boolean (true or false), got a string");
    }

    @Test
    void runAsGroupDefaultsToSandboxWhenOnlyUserIsGiven() {
        Policy p = PolicyParser.parse("version: 1\nprocess: { run_as_user: \"1001\" }\n");
        assertThat(p.process()).isEqualTo(new ProcessPolicy("1001", "sandbox"));
    }

    @Test
    void rootReadOnlyIsAllowed() {
        Policy p = PolicyParser.parse("version: 1\nfilesystem_policy: { read_only: [/] }\n");
        assertThat(p.filesystem().readOnly()).containsExactly("/");
    }

    @Test
    void versionIsRequiredAndMustBeOne() {
        assertError(only("filesystem_policy: {}\n"), "version", 1, 1, "`version: 1` is required");
        assertError(only("version: 2\n"), "version", 1, 10, "unsupported version 2; only `version: 1` is supported");
        assertError(only("version: \"1\"\n"), "version", 1, 10, "expected an integer, got a string");
        assertError(only("version: 1.0\n"), "version", 1, 10, "expected an integer, got a number");
    }

    @Test
    void emptyDocumentsAreRejected() {
        for (String empty : List.of("", "   \n", "# only a comment\n", "~\n", "---\n")) {
            assertError(only(empty), "", 0, 0, "empty policy: `version: 1` is required");
        }
    }

    @Test
    void topLevelMustBeAMapping() {
        assertError(
                only("- version: 1\n"), "", 1, 1, "expected a mapping with `version: 1` at the top level, got a list");
        assertError(only("just text\n"), "", 1, 1, "got a string");
    }

    @Test
    void multipleDocumentsAreRejected() {
        assertError(only("version: 1\n---\nversion: 1\n"), "", 3, 1, "more than one YAML document");
    }

    @Test
    void syntaxErrorsCarryTheProblemPosition() {
        PolicyError e = only("version: 1\nprocess:\n  run_as_user: [agent\n");
        assertThat(e.path()).isEmpty();
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.message()).startsWith("invalid YAML: ");

        PolicyError tab = only("version: 1\nprocess:\n\trun_as_user: x\n");
        assertThat(tab.line()).isEqualTo(3);
        assertThat(tab.column()).isEqualTo(1);
        assertThat(tab.message()).contains("invalid YAML");

        PolicyError undefined = only("version: 1\nprocess: *nope\n");
        assertThat(undefined.line()).isEqualTo(2);
        assertThat(undefined.column()).isEqualTo(10);
        assertThat(undefined.message()).contains("found undefined alias nope");
    }

    @Test
    void unknownKeysSuggestTheClosestKnownKey() {
        assertError(
                only("version: 1\nnetwrk_policies: {}\n"),
                "netwrk_policies",
                2,
                1,
                "unknown key `netwrk_policies`; did you mean `network_policies`?");
        assertError(
                only("version: 1\nfilesystem_policy:\n  read_only_paths: [/usr]\n"),
                "filesystem_policy.read_only_paths",
                3,
                3,
                "did you mean `read_only`?");
        assertError(
                only("version: 1\nprocess: { run_as: x }\n"),
                "process.run_as",
                2,
                12,
                "unknown key `run_as`; did you mean `run_as_user`?");
        assertError(
                only("version: 1\ncolour: blue\n"),
                "colour",
                2,
                1,
                "unknown key `colour`; expected one of version, filesystem_policy, landlock, process, network_policies");
    }

    @Test
    void duplicateKeysNameTheFirstOccurrence() {
        assertError(
                only("version: 1\nprocess: {}\nversion: 1\n"),
                "version",
                3,
                1,
                "duplicate key `version` (first defined on line 1)");
        assertError(
                only("version: 1\nprocess:\n  run_as_user: a\n  run_as_user: b\n"),
                "process.run_as_user",
                4,
                3,
                "duplicate key `run_as_user` (first defined on line 3)");
    }

    @Test
    void typeErrorsNameTheExpectedType() {
        assertError(
                only("version: 1\nfilesystem_policy:\n  read_only: {a: b}\n"),
                "filesystem_policy.read_only",
                3,
                14,
                "expected a list of strings, got a mapping");
        assertError(
                only("version: 1\nfilesystem_policy:\n  read_only: [/a, [/b]]\n"),
                "filesystem_policy.read_only[1]",
                3,
                19,
                "expected a list of strings, got a list");
        assertError(
                only("version: 1\nfilesystem_policy:\n  include_workdir: \"yes\"\n"),
                "filesystem_policy.include_workdir",
                3,
                20,
                "expected a boolean (true or false), got a string");
        assertError(only("version: 1\nlandlock: best_effort\n"), "landlock", 2, 11, "expected a mapping, got a string");
        assertError(
                only("version: 1\nprocess: { run_as_user: [a] }\n"),
                "process.run_as_user",
                2,
                25,
                "expected a string, got a list");
        assertError(
                only("version: 1\nnetwork_policies:\n"),
                "network_policies",
                2,
                18,
                "expected a mapping of policy keys to policies, got null");
    }

    @Test
    void filesystemPathRules() {
        List<PolicyError> e = errors("""
                version: 1
                filesystem_policy:
                  read_only:
                    - usr/lib
                    - /usr/../etc
                    - "/a\\0b"
                  read_write: [/tmp, //]
                """);
        assertThat(e).hasSize(4);
        assertError(
                e.get(0),
                "filesystem_policy.read_only[0]",
                4,
                7,
                "`usr/lib` is not absolute; paths must start with `/`");
        assertError(e.get(1), "filesystem_policy.read_only[1]", 5, 7, "contains a `..` segment");
        assertError(e.get(2), "filesystem_policy.read_only[2]", 6, 7, "NUL character");
        assertError(
                e.get(3),
                "filesystem_policy.read_write[1]",
                7,
                22,
                "read-write `/` would give the agent the whole filesystem");
    }

    @Test
    void pathsOver4096CharactersAreRejected() {
        String longPath = "/" + "a".repeat(PolicyParser.MAX_PATH_LENGTH);
        PolicyError e = only("version: 1\nfilesystem_policy: { read_write: [" + longPath + "] }\n");
        assertError(e, "filesystem_policy.read_write[0]", 2, 35, "at most 4096 are allowed");
        String fits = "/" + "a".repeat(PolicyParser.MAX_PATH_LENGTH - 1);
        assertThat(PolicyParser.parse("version: 1\nfilesystem_policy: { read_write: [" + fits + "] }\n")
                        .filesystem()
                        .readWrite())
                .containsExactly(fits);
    }

    @Test
    void landlockCompatibilityMustBeKnown() {
        assertError(
                only("version: 1\nlandlock: { compatibility: strict }\n"),
                "landlock.compatibility",
                2,
                28,
                "`compatibility` must be one of best_effort, hard_requirement");
    }

    @Test
    void processNeverRunsAsRoot() {
        assertError(
                only("version: 1\nprocess: { run_as_user: root }\n"),
                "process.run_as_user",
                2,
                25,
                "never runs as root");
        assertError(
                only("version: 1\nprocess: { run_as_user: 0 }\n"), "process.run_as_user", 2, 25, "never runs as root");
        assertError(
                only("version: 1\nprocess: { run_as_user: \"000\" }\n"),
                "process.run_as_user",
                2,
                25,
                "never runs as root");
        assertError(
                only("version: 1\nprocess: { run_as_group: root }\n"),
                "process.run_as_group",
                2,
                26,
                "never runs as root");
        assertError(
                only("version: 1\nprocess: { run_as_group: 0 }\n"),
                "process.run_as_group",
                2,
                26,
                "never runs as root");
        assertError(
                only("version: 1\nprocess: { run_as_user: Bad User }\n"),
                "process.run_as_user",
                2,
                25,
                "`Bad User` is not a valid user name; expected [a-z_][a-z0-9_-]{0,31} or a numeric id");
    }

    @Test
    void allErrorsAreCollectedInDocumentOrder() {
        List<PolicyError> e = errors("""
                version: 1
                filesystem_policy:
                  read_write: [/]
                landlock: { compatibility: maybe }
                process: { run_as_user: root }
                network_policies:
                  gh:
                    endpoints:
                      - { host: "*", port: 70000 }
                    binaries: [bin/gh]
                """);
        assertThat(e)
                .extracting(PolicyError::path)
                .containsExactly(
                        "filesystem_policy.read_write[0]",
                        "landlock.compatibility",
                        "process.run_as_user",
                        "network_policies.gh.endpoints[0].host",
                        "network_policies.gh.endpoints[0].port",
                        "network_policies.gh.binaries[0]");
        assertThat(e).extracting(PolicyError::line).containsExactly(3, 4, 5, 9, 9, 10);
    }

    @Test
    void exceptionMessageListsEveryError() {
        assertThatThrownBy(() -> PolicyParser.parse("version: 3\nprocess: { run_as_user: root }\n"))
                .isInstanceOf(PolicyValidationException.class)
                .hasMessageContaining("2 errors:")
                .hasMessageContaining("version (line 1, column 10): unsupported version 3")
                .hasMessageContaining("process.run_as_user (line 2, column 25)");
    }

    @Test
    void readsFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "version: 1\nprocess: { run_as_user: agent }\n", StandardCharsets.UTF_8);
        assertThat(PolicyParser.read(file).process().runAsUser()).isEqualTo("agent");

        assertThatThrownBy(() -> PolicyParser.read(dir.resolve("missing.yaml")))
                .isInstanceOf(PolicyException.class)
                .isNotInstanceOf(PolicyValidationException.class)
                .hasMessageContaining("does not exist");

        Path big = dir.resolve("big.yaml");
        Files.write(big, new byte[PolicyParser.MAX_BYTES + 10]);
        assertError(errors(() -> PolicyParser.read(big)).getFirst(), "", 0, 0, "at most 1048576 (1 MiB) are allowed");
    }
}

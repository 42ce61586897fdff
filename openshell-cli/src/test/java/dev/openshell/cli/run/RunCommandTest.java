package dev.openshell.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.CliRunner;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code openshell run}'s own checks, in-process: what fails before any sandbox is made. */
class RunCommandTest {

    @Test
    void aSandboxThatCannotStartExitsWithItsCodesStatusWhenRunDocumentsIt() {
        assertThat(RunCommand.startFailure(ErrorCode.POLICY_INVALID)).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(RunCommand.startFailure(ErrorCode.WORKDIR_UNUSABLE)).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(RunCommand.startFailure(ErrorCode.RESOURCES_INVALID)).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(RunCommand.startFailure(ErrorCode.PROCESS_USER_RESERVED)).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(RunCommand.startFailure(ErrorCode.NOT_ROOT)).isEqualTo(RunCommand.SANDBOX_FAILED);
        assertThat(RunCommand.startFailure(ErrorCode.LANDLOCK_PATH_MISSING)).isEqualTo(RunCommand.SANDBOX_FAILED);
        assertThat(RunCommand.startFailure(ErrorCode.CGROUPS_UNAVAILABLE)).isEqualTo(RunCommand.SANDBOX_FAILED);
        // statuses run does not document (ErrorCode says 4 and 1) stay 125, as before
        assertThat(RunCommand.startFailure(ErrorCode.SANDBOX_EXISTS)).isEqualTo(RunCommand.SANDBOX_FAILED);
        assertThat(RunCommand.startFailure(ErrorCode.IDENTITY_UNKNOWN)).isEqualTo(RunCommand.SANDBOX_FAILED);
    }

    @Test
    void helpDocumentsTheLimitsAndTheirDefaults() {
        Result r = CliRunner.run("run", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out().replaceAll("\\s+", " "))
                .contains("--memory=SIZE", "2g or half the RAM", "--cpus=N", "every core", "--pids=N", "1024")
                .contains("--tmp-size=SIZE", "half of --memory", "belongs to the directory's owner")
                .contains("ends the sandbox", "137 or 143");
    }

    @Test
    void limitsThatCannotWorkAreOneLineAndExitCode2() {
        String[][] cases = {
            {"--memory", "lots", "error: --memory: 'lots' is not a size"},
            {"--memory", "1m", "error: memory 1 MiB is below the minimum of 16 MiB"},
            {"--cpus", "0", "error: --cpus: 0.0 is not above 0"},
            {"--cpus", "100000", "error: cpus 100000.0 is more than this host's"},
            {"--cpus", "many", "'many' is not a double"},
            {"--pids", "3", "error: pids 3 is below the minimum of 8"},
            {"--pids", "-5", "error: --pids: -5 is not above 0"},
            {"--tmp-size", "1k", "error: tmp size 1 KiB is below 1 MiB"},
        };
        for (String[] c : cases) {
            Result r = CliRunner.run("run", c[0], c[1], "--", "true");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
            assertThat(r.err()).as(String.join(" ", c)).contains(c[2]);
            assertThat(r.err().lines().toList()).as(r.toString()).hasSize(2);
        }
        Result tooBigTmp = CliRunner.run("run", "--memory", "64m", "--tmp-size", "1g", "--", "true");
        assertThat(tooBigTmp.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(tooBigTmp.err()).startsWith("error: tmp size 1 GiB is above the memory limit 64 MiB");
    }

    @Test
    void anInvalidPolicyShowsEveryErrorWithTheFileNameAndExits2(@TempDir Path tmp) throws Exception {
        Path policy = Files.writeString(
                tmp.resolve("types.yaml"),
                "version: 1\nnetwork_policie: {}\nfilesystem_policy:\n  read_only: 5\n  include_workdir: maybe\n");

        Result r = CliRunner.run("run", "--policy", policy.toString(), "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
        List<String> lines = r.err().lines().toList();
        assertThat(lines.subList(0, lines.size() - 1))
                .as(r.toString())
                .hasSizeGreaterThanOrEqualTo(2)
                .allMatch(line -> line.startsWith(policy + ":"));
        assertThat(lines.getLast())
                .matches("error: " + java.util.regex.Pattern.quote(policy.toString())
                        + " is not a valid policy \\(\\d+ errors\\)");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void aPolicyFromStandardInputIsReadAndNamedSo() {
        Result r = CliRunner.runWithStdin("version: 1\nnetwork_policie: {}\n", "run", "--policy", "-", "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).as(r.toString()).startsWith("<stdin>:2:").contains("error: <stdin> is not a valid policy");
    }

    @Test
    void aMissingPolicyFileIsExitCode2AndSaysSo(@TempDir Path tmp) {
        Path missing = tmp.resolve("missing.yaml");

        Result r = CliRunner.run("run", "--policy", missing.toString(), "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).as(r.toString()).startsWith(missing + ": no such file\n");
    }

    @Test
    void aLogFileThatIsASymbolicLinkIsRefused(@TempDir Path tmp) throws Exception {
        Path target = Files.writeString(tmp.resolve("precious"), "keep\n");
        Path link = Files.createSymbolicLink(tmp.resolve("run.log"), target);

        Result r = CliRunner.run("run", "--log", link.toString(), "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).startsWith("error: --log " + link + " is a symbolic link");
        assertThat(target).hasContent("keep");
    }

    @Test
    void ttyWithoutATerminalSaysSo() {
        Result r = CliRunner.run("run", "--tty", "--", "true");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(r.err()).as(r.toString()).startsWith("error: --tty needs a terminal, but standard input is not one");
        assertThat(r.err().lines().toList()).hasSize(2);
    }

    @Test
    void helpGivesEveryExitCodeThePathAndUnbrokenUrls() {
        Result r = CliRunner.run("run", "--help");

        String flat = r.out().replaceAll("\\s+", " ");
        assertThat(flat)
                .contains("126 the command cannot be executed", "127 the command was not found in the sandbox")
                .contains("2 bad usage, a missing or invalid policy file")
                .contains("PATH is the system one", "--env PATH=")
                .contains("- for standard input")
                .doesNotContain("policy path missing");
        assertThat(r.out().lines().filter(l -> l.contains("https://")))
                .isNotEmpty()
                .allMatch(l -> l.contains("https://example.com"));
    }
}

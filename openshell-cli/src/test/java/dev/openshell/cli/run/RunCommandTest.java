package dev.openshell.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.CliRunner;
import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.ExitCodes;
import org.junit.jupiter.api.Test;

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
}

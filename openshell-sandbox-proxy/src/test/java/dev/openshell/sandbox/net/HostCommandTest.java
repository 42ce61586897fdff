package dev.openshell.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.openshell.api.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostCommandTest {

    @Test
    void toolsRunFromTheSystemDirectoriesWhateverThePathSays() throws Exception {
        // the command line the started shell sees: its program by absolute path, not looked up in PATH
        String argv0 = HostCommand.run("sh", "-c", "tr '\\0' '\\n' < /proc/$$/cmdline | head -1");

        assertThat(argv0.strip()).isIn("/usr/bin/sh", "/bin/sh");
        assertThat(HostCommand.locate("nft").toString()).isIn("/usr/sbin/nft", "/sbin/nft");
        assertThatThrownBy(() -> HostCommand.locate("no-such-tool"))
                .hasMessageContaining("no-such-tool is not installed")
                .hasMessageContaining("apt-get install");
        assertThatThrownBy(() -> HostCommand.run("no-such-tool"))
                .isInstanceOf(NetworkException.class)
                .hasMessageContaining("cannot start: no-such-tool is not installed");
    }

    @Test
    void stdinIsFedAndStdoutReturned() {
        assertThat(HostCommand.run(List.of("cat"), "fed\n")).isEqualTo("fed\n");
    }

    @Test
    void failureIsOneLineNamingTheCommandAndItsStderr() {
        assertThatThrownBy(
                        () -> HostCommand.run("sh", "-c", "echo first >&2; echo '  ^^^' >&2; echo second >&2; exit 3"))
                .isInstanceOfSatisfying(NetworkException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_COMMAND_FAILED);
                    assertThat(e.getMessage())
                            .isEqualTo("`sh -c echo first >&2; echo '  ^^^' >&2; echo second >&2; exit 3` failed:"
                                    + " exit 3: first | second");
                });
    }

    @Test
    void failedBatchNamesItsLine() {
        NetworkException failure = catchThrowableOfType(
                NetworkException.class,
                () -> HostCommand.run(
                        List.of(
                                "sh",
                                "-c",
                                "cat >/dev/null; echo 'Cannot find device' >&2; echo 'Command failed -:2' >&2; exit 1"),
                        "link set lo up\nlink set nope up\n"));

        assertThat(failure.getMessage()).contains("failed: line 2 `link set nope up`, exit 1: Cannot find device");
        assertThat(HostCommand.failedBatchLine(failure)).isEqualTo(2);
        assertThat(HostCommand.failedBatchLine(new NetworkException(ErrorCode.NETWORK_STATE_FAILED, "other")))
                .isZero();
    }

    @Test
    void missingProgramIsReported() {
        assertThatThrownBy(() -> HostCommand.run("/nonexistent/tool"))
                .hasMessageStartingWith("`/nonexistent/tool` failed: cannot start:");
    }
}

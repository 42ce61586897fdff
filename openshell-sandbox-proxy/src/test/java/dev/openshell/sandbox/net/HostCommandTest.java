package dev.openshell.sandbox.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostCommandTest {

    @Test
    void stdinIsFedAndStdoutReturned() {
        assertThat(HostCommand.run(List.of("cat"), "fed\n")).isEqualTo("fed\n");
    }

    @Test
    void failureIsOneLineNamingTheCommandAndItsStderr() {
        assertThatThrownBy(
                        () -> HostCommand.run("sh", "-c", "echo first >&2; echo '  ^^^' >&2; echo second >&2; exit 3"))
                .isInstanceOfSatisfying(NetworkException.class, e -> {
                    assertThat(e.code()).isEqualTo("network_command_failed");
                    assertThat(e.getMessage())
                            .isEqualTo("`sh -c echo first >&2; echo '  ^^^' >&2; echo second >&2; exit 3` failed:"
                                    + " exit 3: first | second");
                });
    }

    @Test
    void missingProgramIsReported() {
        assertThatThrownBy(() -> HostCommand.run("/nonexistent/tool"))
                .hasMessageStartingWith("`/nonexistent/tool` failed: cannot start:");
    }
}

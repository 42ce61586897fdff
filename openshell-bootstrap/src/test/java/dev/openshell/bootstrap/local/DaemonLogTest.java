package dev.openshell.bootstrap.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DaemonLogTest {

    @Test
    void springsFailureDescriptionIsTheReason() {
        String tail = """
                ***************************
                APPLICATION FAILED TO START
                ***************************

                Description:

                Web server failed to start. Port 8443 was already in use.

                Action:
                """;

        assertThat(DaemonLog.lastError(tail)).isEqualTo("Web server failed to start. Port 8443 was already in use.");
    }

    @Test
    void otherwiseTheLastErrorLine() {
        String tail = """
                2026-01-01 INFO  starting
                2026-01-01 ERROR  cannot open the database: disk full
                2026-01-01 INFO  shutting down
                """;

        assertThat(DaemonLog.lastError(tail)).isEqualTo("2026-01-01 ERROR  cannot open the database: disk full");
        assertThat(DaemonLog.lastError("openshell-gateway: --data-dir is required"))
                .isEqualTo("openshell-gateway: --data-dir is required");
        assertThat(DaemonLog.lastError("nothing useful")).isEmpty();
    }

    @Test
    void controlCharactersFromTheLogAreEscaped() {
        assertThat(DaemonLog.lastError("x ERROR \u001b[2Jgone")).isEqualTo("x ERROR \\u001b[2Jgone");
    }
}

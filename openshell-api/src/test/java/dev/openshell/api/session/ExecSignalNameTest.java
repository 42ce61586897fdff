package dev.openshell.api.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ExecSignalNameTest {

    @Test
    void theFiveNamesAreAcceptedBareOrWithSigInAnyCase() {
        assertThat(ExecSignalName.parse("INT")).contains(ExecSignalName.INT);
        assertThat(ExecSignalName.parse("sigterm")).contains(ExecSignalName.TERM);
        assertThat(ExecSignalName.parse("SIGKILL")).contains(ExecSignalName.KILL);
        assertThat(ExecSignalName.parse("Hup")).contains(ExecSignalName.HUP);
        assertThat(ExecSignalName.parse("QUIT")).contains(ExecSignalName.QUIT);
        assertThat(Arrays.stream(ExecSignalName.values()).mapToInt(ExecSignalName::number))
                .containsExactly(2, 15, 1, 3, 9);
    }

    @Test
    void anythingElseIsRefused() {
        // STOP would freeze the command beyond the client's reach; WINCH is a resize; numbers and
        // padded or doubled names are not names.
        for (String refused : new String[] {
            null,
            "",
            "STOP",
            "TSTP",
            "CONT",
            "WINCH",
            "USR1",
            "9",
            "-9",
            "INT ",
            " INT",
            "SIGSIGINT",
            "SIG",
            "İNT",
            "INT\n"
        }) {
            assertThat(ExecSignalName.parse(refused))
                    .as(String.valueOf(refused))
                    .isEmpty();
        }
    }
}

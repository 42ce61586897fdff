package dev.openshell.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's error code and exit status tables are generated from the enums; this test fails
 * when they drift. Run with {@code -Dreadme.update=true} to rewrite them.
 */
class ReadmeTablesTest {

    private static final Path README = Path.of("README.md");

    @Test
    void errorCodeTableMatchesTheEnum() throws IOException {
        check("error-codes", errorCodeTable());
    }

    @Test
    void exitStatusTableMatchesTheEnum() throws IOException {
        check("exit-statuses", exitStatusTable());
    }

    static String errorCodeTable() {
        StringBuilder t = new StringBuilder("| Code | HTTP | Exit | Hint |\n|---|---|---|---|\n");
        for (ErrorCode code : ErrorCode.values()) {
            t.append("| `")
                    .append(code.wire())
                    .append("` | ")
                    .append(code.httpStatus())
                    .append(" | ")
                    .append(code.exitCode())
                    .append(" | ")
                    .append(code.hint().replace("|", "\\|"))
                    .append(" |\n");
        }
        return t.toString();
    }

    static String exitStatusTable() {
        StringBuilder t = new StringBuilder("| Exit | Meaning |\n|---|---|\n");
        for (ExitStatus s : ExitStatus.values()) {
            t.append("| ").append(s.code()).append(" | ").append(s.meaning()).append(" |\n");
        }
        return t.toString();
    }

    private static void check(String name, String table) throws IOException {
        String begin = "<!-- " + name + ":begin -->\n";
        String end = "<!-- " + name + ":end -->";
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int from = readme.indexOf(begin);
        int to = readme.indexOf(end);
        assertThat(from).as("README.md has no %s markers", name).isNotNegative();
        assertThat(to).isGreaterThan(from);
        String current = readme.substring(from + begin.length(), to);
        if (Boolean.getBoolean("readme.update") && !current.equals(table)) {
            Files.writeString(
                    README,
                    readme.substring(0, from + begin.length()) + table + readme.substring(to),
                    StandardCharsets.UTF_8);
            return;
        }
        assertThat(current)
                .as("README.md's %s table is out of date: run the test with -Dreadme.update=true", name)
                .isEqualTo(table);
    }
}

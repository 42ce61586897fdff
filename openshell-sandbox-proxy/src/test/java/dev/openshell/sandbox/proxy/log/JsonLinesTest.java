package dev.openshell.sandbox.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.testkit.Require;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JsonLinesTest {

    static DecisionRecord record(String host, String path, String reason) {
        return new DecisionRecord(
                Instant.parse("2026-11-27T10:15:30.123456Z"),
                "sb-1",
                "/usr/bin/curl",
                4242,
                host,
                443,
                "GET",
                path,
                "deny",
                "l7",
                "github",
                "rule-0",
                reason,
                7,
                183,
                null);
    }

    @Test
    void encodesEveryFieldInOrderOnOneLine() {
        assertThat(JsonLines.encode(record("api.github.com", "/repos?q=*", "method not allowed")))
                .isEqualTo("{\"time\":\"2026-11-27T10:15:30.123456Z\",\"sandbox\":\"sb-1\","
                        + "\"binary\":\"/usr/bin/curl\",\"pid\":4242,\"host\":\"api.github.com\",\"port\":443,"
                        + "\"method\":\"GET\",\"path\":\"/repos?q=*\",\"verdict\":\"deny\",\"layer\":\"l7\","
                        + "\"policy\":\"github\",\"rule\":\"rule-0\",\"reason\":\"method not allowed\","
                        + "\"generation\":7,\"latency_us\":183}");
    }

    @Test
    void nullsAndAnUnknownPidAreOmitted() {
        DecisionRecord l4 = new DecisionRecord(
                Instant.EPOCH,
                null,
                null,
                0,
                "example.com",
                443,
                null,
                null,
                "deny",
                "l4",
                null,
                null,
                "identity_unknown",
                1,
                5,
                null);
        assertThat(JsonLines.encode(l4))
                .isEqualTo("{\"time\":\"1970-01-01T00:00:00Z\",\"host\":\"example.com\",\"port\":443,"
                        + "\"verdict\":\"deny\",\"layer\":\"l4\",\"reason\":\"identity_unknown\","
                        + "\"generation\":1,\"latency_us\":5}");
    }

    @Test
    void hostileStringsAreEscaped() {
        StringBuilder b = new StringBuilder();
        JsonLines.quote(b, "a\"b\\c\nd\re\tf\bg\fh\u0000i\u001fj\u007fk\u2028l\u2029m");
        assertThat(b.toString())
                .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0000i\\u001fj\\u007fk\\u2028l\\u2029m\"");

        b.setLength(0);
        JsonLines.quote(b, "ü€😀 \ud800 x \udc00");
        assertThat(b.toString()).isEqualTo("\"ü€😀 \\ufffd x \\ufffd\"");

        String line = JsonLines.encode(record("evil\n{\"verdict\":\"allow\"}", "/\r\n\u0000", "x"));
        assertThat(line).doesNotContain("\n").doesNotContain("\r").contains("\"verdict\":\"deny\"");
    }

    @Test
    void aRealJsonParserReadsBackWhatWasWritten() throws Exception {
        Require.that(python() != null, "needs python3 (/usr/bin or /usr/local/bin) for the round trip");
        List<String> hostile = List.of(
                "quote \" backslash \\ slash /",
                "newline\nreturn\rtab\t",
                "nul\u0000 esc\u001b del\u007f",
                "ü € 😀 \u2028\u2029",
                "</script><!--");
        StringBuilder lines = new StringBuilder();
        for (String s : hostile) {
            lines.append(JsonLines.encode(record("h", s, s))).append('\n');
        }
        Process p = new ProcessBuilder(
                        python(),
                        "-c",
                        "import json,sys\n"
                                + "for l in sys.stdin.buffer.read().decode('utf-8').split('\\n'):\n"
                                + "  if l: sys.stdout.buffer.write((json.loads(l)['path'].encode('unicode_escape').decode() + '\\n').encode())")
                .start();
        p.getOutputStream().write(lines.toString().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getErrorStream().readAllBytes()))
                .isZero();
        assertThat(out.lines().toList()).hasSize(hostile.size());
        List<String> decoded = out.lines().map(JsonLinesTest::unescapePython).toList();
        assertThat(decoded).containsExactlyElementsOf(hostile);
    }

    private static String python() throws IOException {
        for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /** Reverses Python's unicode_escape for the characters the fixtures use. */
    private static String unescapePython(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case '\\' -> b.append('\\');
                case 'x' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'U' -> {
                    b.appendCodePoint(Integer.parseInt(s.substring(i + 1, i + 9), 16));
                    i += 8;
                }
                default -> b.append('\\').append(n);
            }
        }
        return b.toString();
    }
}

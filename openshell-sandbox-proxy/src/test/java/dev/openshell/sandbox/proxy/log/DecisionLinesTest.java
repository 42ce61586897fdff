package dev.openshell.sandbox.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.openshell.api.decision.CaptureMode;
import dev.openshell.api.decision.Verdict;
import dev.openshell.api.json.ApiJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

public class DecisionLinesTest {

    private static final JsonMapper READER = JsonMapper.builder().build();

    /** Characters that could end, split or corrupt a line, or that some readers refuse. */
    public static final List<String> HOSTILE = List.of(
            "quote \" backslash \\ slash /",
            "newline\nreturn\rtab\t backspace\b formfeed\f",
            "nul\u0000 unit\u001f esc\u001b del\u007f",
            "ü € 😀 line\u2028paragraph\u2029end",
            "</script><!--",
            "evil\n{\"verdict\":\"allow\"}");

    public static DecisionRecord record(String host, String path, String reason) {
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

    /** Reads one JSON line into a map in field order. */
    public static Map<String, Object> parse(String line) {
        return READER.readValue(line, new TypeReference<>() {});
    }

    @Test
    void writesEveryFieldInOrderOnOneLine() {
        String line = DecisionLines.toJson(record("api.github.com", "/repos?q=*", "method not allowed"));

        assertThat(line).doesNotContain("\n");
        assertThat(parse(line))
                .containsExactly(
                        Map.entry("time", "2026-11-27T10:15:30.123456Z"),
                        Map.entry("sandbox", "sb-1"),
                        Map.entry("binary", "/usr/bin/curl"),
                        Map.entry("pid", 4242),
                        Map.entry("host", "api.github.com"),
                        Map.entry("port", 443),
                        Map.entry("method", "GET"),
                        Map.entry("path", "/repos?q=*"),
                        Map.entry("verdict", "deny"),
                        Map.entry("layer", "l7"),
                        Map.entry("policy", "github"),
                        Map.entry("rule", "rule-0"),
                        Map.entry("reason", "method not allowed"),
                        Map.entry("generation", 7),
                        Map.entry("latency_us", 183));
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

        assertThat(parse(DecisionLines.toJson(l4)))
                .containsExactly(
                        Map.entry("time", "1970-01-01T00:00:00Z"),
                        Map.entry("host", "example.com"),
                        Map.entry("port", 443),
                        Map.entry("verdict", "deny"),
                        Map.entry("layer", "l4"),
                        Map.entry("reason", "identity_unknown"),
                        Map.entry("generation", 1),
                        Map.entry("latency_us", 5));
    }

    @Test
    void hostileStringsReadBackAsWrittenOnOneLine() {
        for (String s : HOSTILE) {
            String line = DecisionLines.toJson(record(s, s, s));

            assertThat(line)
                    .as(s)
                    .doesNotContain("\n", "\r", "\u2028", "\u2029", "\u007f")
                    .doesNotContainPattern("[\\x00-\\x1f]");
            assertThat(parse(line))
                    .as(s)
                    .containsEntry("host", s)
                    .containsEntry("path", s)
                    .containsEntry("reason", s)
                    .containsEntry("verdict", "deny");
        }
    }

    @Test
    void loneSurrogatesReadBackAsTheReplacementCharacter() {
        String line = DecisionLines.toJson(record("h", "a\ud800b", "x \udc00 y 😀 \ud83d"));

        assertThat(line.getBytes(StandardCharsets.UTF_8))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo(line);
        assertThat(parse(line)).containsEntry("path", "a\ufffdb").containsEntry("reason", "x \ufffd y 😀 \ufffd");
    }

    @Test
    void theApiReadsTheLineAsADecisionRecord() {
        DecisionRecord r = new DecisionRecord(
                Instant.parse("2026-11-27T10:15:30.123456Z"),
                "sb-1",
                "/usr/bin/ssh",
                7,
                "10.0.0.9",
                22,
                null,
                null,
                "deny",
                "l4",
                null,
                "bypass:silent",
                "nothing arrived",
                3,
                12,
                "transparent");

        var read =
                ApiJson.lenient().readValue(DecisionLines.toJson(r), dev.openshell.api.decision.DecisionRecord.class);

        assertThat(read.sandbox()).isEqualTo("sb-1");
        assertThat(read.pid()).isEqualTo(7);
        assertThat(read.verdict()).isEqualTo(Verdict.DENY);
        assertThat(read.rule()).isEqualTo("bypass:silent");
        assertThat(read.policyRevision()).isEqualTo(3);
        assertThat(read.latencyUs()).isEqualTo(12);
        assertThat(read.mode()).isEqualTo(CaptureMode.TRANSPARENT);
    }

    @Test
    void pythonReadsBackWhatWasWritten() throws Exception {
        String python = python();
        assumeTrue(python != null, "python3 is not installed; skipped the round trip");
        StringBuilder lines = new StringBuilder();
        for (String s : HOSTILE) {
            lines.append(DecisionLines.toJson(record("h", s, s))).append('\n');
        }
        // splitlines() also splits on U+2028/2029: an unescaped one would break a record in two
        Process p = new ProcessBuilder(
                        python,
                        "-c",
                        "import json,sys\n"
                                + "for l in sys.stdin.buffer.read().decode('utf-8').splitlines():\n"
                                + "  sys.stdout.write(json.dumps(json.loads(l)['path']) + '\\n')")
                .start();
        p.getOutputStream().write(lines.toString().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        List<String> decoded =
                out.lines().map(l -> READER.readValue(l, String.class)).toList();
        assertThat(decoded).containsExactlyElementsOf(HOSTILE);
    }

    private static String python() throws IOException {
        for (String candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }
}

package dev.openshell.sandbox.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileSinkTest {

    @Test
    void appendsOneJsonLinePerDecisionAndFlushesOnClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logs/decisions.jsonl");
        try (RotatingFileSink sink = new RotatingFileSink(file, 1 << 20, 3)) {
            sink.accept(DecisionLinesTest.record("a.example", "/x?k=*", "ok"));
            sink.accept(DecisionLinesTest.record("b.example", "/y", "no"));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(DecisionLinesTest.parse(lines.get(0)))
                .containsEntry("host", "a.example")
                .containsEntry("path", "/x?k=*")
                .containsEntry("reason", "ok");
        assertThat(DecisionLinesTest.parse(lines.get(1))).containsEntry("host", "b.example");
    }

    @Test
    void rotatesBySizeAndKeepsTheConfiguredNumberOfFiles(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("decisions.jsonl");
        int lineLength = DecisionLines.toJson(DecisionLinesTest.record("h000.example", "/", "r"))
                        .length()
                + 1;
        // three lines per file
        try (RotatingFileSink sink = new RotatingFileSink(file, 3L * lineLength, 2)) {
            for (int i = 0; i < 10; i++) {
                sink.accept(DecisionLinesTest.record("h%03d.example".formatted(i), "/", "r"));
            }
        }
        assertThat(hosts(file)).containsExactly("h009.example");
        assertThat(hosts(dir.resolve("decisions.jsonl.1")))
                .containsExactly("h006.example", "h007.example", "h008.example");
        assertThat(hosts(dir.resolve("decisions.jsonl.2")))
                .containsExactly("h003.example", "h004.example", "h005.example");
        assertThat(dir.resolve("decisions.jsonl.3")).doesNotExist();
        for (Path p : List.of(file, dir.resolve("decisions.jsonl.1"), dir.resolve("decisions.jsonl.2"))) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(3L * lineLength);
        }
    }

    @Test
    void appendsToAnExistingFileAcrossRestarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.jsonl");
        try (RotatingFileSink sink = new RotatingFileSink(file, 1 << 20, 1)) {
            sink.accept(DecisionLinesTest.record("first", "/", "r"));
        }
        try (RotatingFileSink sink = new RotatingFileSink(file, 1 << 20, 1)) {
            sink.accept(DecisionLinesTest.record("second", "/", "r"));
        }
        assertThat(hosts(file)).containsExactly("first", "second");
    }

    @Test
    void neverThrowsIntoTheCallerWhenTheFileCannotBeWritten(@TempDir Path dir) throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        RotatingFileSink sink = new RotatingFileSink(blocker.resolve("d.jsonl"), 1024, 1);
        sink.accept(DecisionLinesTest.record("h", "/", "r"));
        sink.close();
        sink.accept(DecisionLinesTest.record("after-close", "/", "r"));

        assertThat(sink.writeErrors()).isPositive();
        assertThat(sink.dropped()).isEqualTo(2);
    }

    @Test
    void concurrentWritersLoseNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.jsonl");
        List<Thread> threads = new ArrayList<>();
        try (RotatingFileSink sink = new RotatingFileSink(file, 1 << 24, 1)) {
            for (int t = 0; t < 4; t++) {
                int id = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 2000; i++) {
                        sink.accept(DecisionLinesTest.record("t" + id + "-" + i, "/", "r"));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        assertThat(Files.readAllLines(file)).hasSize(8000).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    }

    private static List<String> hosts(Path file) throws Exception {
        return Files.readAllLines(file).stream()
                .map(l -> l.replaceAll(".*\"host\":\"([^\"]*)\".*", "$1"))
                .toList();
    }
}

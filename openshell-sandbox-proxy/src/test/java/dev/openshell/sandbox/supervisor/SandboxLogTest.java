package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.openshell.sandbox.proxy.log.DecisionLinesTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxLogTest {

    @TempDir
    Path dir;

    @Test
    void pumpsLinesWithTimestampsAndMirrorsBytesAsTheyCome() throws Exception {
        List<String> events = new ArrayList<>();
        ByteArrayOutputStream mirror = new ByteArrayOutputStream();
        List<String> watched = new CopyOnWriteArrayList<>();
        try (SandboxLog log = new SandboxLog(dir.resolve(SandboxLog.FILE), 1 << 20, events::add)) {
            byte[] output = "one\ntwo \"quoted\"\nno newline".getBytes(StandardCharsets.UTF_8);
            log.pump("stdout", new ByteArrayInputStream(output), mirror, watched::add)
                    .join();
            log.event("ready");
        }

        List<SandboxLog.Entry> entries = new ArrayList<>();
        SandboxLog.follow(dir.resolve(SandboxLog.FILE), entries::add, () -> false);

        assertThat(entries)
                .extracting(SandboxLog.Entry::stream, SandboxLog.Entry::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("stdout", "one"),
                        org.assertj.core.groups.Tuple.tuple("stdout", "two \"quoted\""),
                        org.assertj.core.groups.Tuple.tuple("stdout", "no newline"),
                        org.assertj.core.groups.Tuple.tuple("supervisor", "ready"));
        assertThat(mirror.toString(StandardCharsets.UTF_8)).isEqualTo("one\ntwo \"quoted\"\nno newline");
        assertThat(watched).containsExactly("one", "two \"quoted\"", "no newline");
        assertThat(events).containsExactly("ready");
        assertThat(entries.getFirst().render()).matches("\\d{4}-.*Z stdout one");
    }

    @Test
    void eachLineIsOneJsonObjectWithTimeStreamAndText() throws Exception {
        try (SandboxLog log = new SandboxLog(dir.resolve(SandboxLog.FILE), 1 << 20, e -> {})) {
            for (String s : DecisionLinesTest.HOSTILE) {
                log.append("stderr", s);
            }
        }

        List<String> lines = Files.readAllLines(dir.resolve(SandboxLog.FILE), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(DecisionLinesTest.HOSTILE.size());
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> json = DecisionLinesTest.parse(lines.get(i));
            assertThat(json.keySet()).containsExactly("ts", "stream", "text");
            assertThat(json).containsEntry("stream", "stderr").containsEntry("text", DecisionLinesTest.HOSTILE.get(i));
            assertThat(Instant.parse((String) json.get("ts"))).isBeforeOrEqualTo(Instant.now());
        }
    }

    @Test
    void aSymbolicLinkIsNeverFollowedNorItsTargetsModeChanged() throws Exception {
        Path target = Files.writeString(dir.resolve("precious"), "keep\n");
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Path link = Files.createSymbolicLink(dir.resolve("run.log"), target);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SandboxLog(link, 1 << 20, e -> {}))
                .isInstanceOf(java.io.IOException.class);

        assertThat(target).hasContent("keep");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
                .isEqualTo("rw-rw-rw-");
    }

    @Test
    void aNewLogIsCreatedOwnerWritableGroupReadable() throws Exception {
        Path file = dir.resolve("fresh.log");
        try (SandboxLog log = new SandboxLog(file, 1 << 20, e -> {})) {
            log.event("hello");
        }

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r-----");
        assertThat(Files.readString(file)).contains("\"text\":\"hello\"");
    }

    @Test
    void followSeesLinesAppendedLaterAndAcrossARotation() throws Exception {
        Path file = dir.resolve(SandboxLog.FILE);
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        try (SandboxLog log = new SandboxLog(file, 200, e -> {})) {
            log.event("first");
            Thread follower = Thread.ofVirtual().start(() -> {
                try {
                    SandboxLog.follow(file, e -> seen.add(e.text()), running::get);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            waitFor(() -> seen.contains("first"));
            for (int i = 0; i < 5; i++) {
                String line = "line " + i;
                log.event(line); // ~90 bytes each: rotates every other line
                // The follower sees each line before the next rotation moves its file away.
                waitFor(() -> seen.contains(line));
            }
            running.set(false);
            follower.join();
        }

        assertThat(seen).startsWith("first").contains("line 4");
        assertThat(Files.exists(dir.resolve(SandboxLog.FILE + ".1"))).isTrue();
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(5))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(condition);
    }
}

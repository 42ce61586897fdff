package dev.openshell.sandbox.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MemorySinkTest {

    @Test
    void keepsTheMostRecentRecordsUpToItsCapacity() {
        MemorySink sink = new MemorySink(3);
        for (int i = 0; i < 5; i++) {
            sink.accept(DecisionLinesTest.record("h" + i, "/", "r"));
        }
        assertThat(sink.records()).extracting(DecisionRecord::host).containsExactly("h2", "h3", "h4");
        assertThat(sink.total()).isEqualTo(5);
        sink.clear();
        assertThat(sink.records()).isEmpty();
    }

    @Test
    void awaitReturnsOnceAMatchingRecordArrives() throws Exception {
        MemorySink sink = new MemorySink(10);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            sink.accept(DecisionLinesTest.record("late.example", "/", "r"));
        });
        assertThat(sink.await(r -> r.host().equals("late.example"), Duration.ofSeconds(10)))
                .isPresent();
        assertThat(sink.await(r -> r.host().equals("never"), Duration.ofMillis(20)))
                .isEmpty();
    }
}

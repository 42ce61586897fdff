package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class UndoStackTest {

    private final UndoStack stack = new UndoStack("sandbox test");
    private final List<String> undone = new ArrayList<>();

    @Test
    void unwindsInReverseOrderOfPushes() {
        stack.push("release the uid claim", () -> undone.add("uid"));
        stack.push("remove the network", () -> undone.add("network"));
        stack.push("stop the proxy", () -> undone.add("proxy"));

        assertThat(stack.pending()).containsExactly("stop the proxy", "remove the network", "release the uid claim");
        assertThat(stack.unwind()).isEmpty();

        assertThat(undone).containsExactly("proxy", "network", "uid");
        assertThat(stack.pending()).isEmpty();
    }

    @Test
    void everyUndoRunsWhenSomeFailAndEachFailureNamesItsStep() {
        stack.push("release the uid claim", () -> undone.add("uid"));
        stack.push("remove the network", () -> {
            throw new IllegalStateException("nft: table busy");
        });
        stack.push("close the decision log", () -> {
            throw new IOException("disk full");
        });
        stack.push("stop the proxy", () -> undone.add("proxy"));

        List<UndoStack.Failure> failures = stack.unwind();

        assertThat(undone).containsExactly("proxy", "uid");
        assertThat(failures)
                .extracting(UndoStack.Failure::describe)
                .containsExactly("close the decision log: disk full", "remove the network: nft: table busy");
    }

    @Test
    void anErrorOtherThanAnExceptionStillStopsTheUnwindLoudly() {
        // An Error (out of memory, a linkage error) is not a step's failure to collect: it propagates.
        stack.push("first", () -> undone.add("first"));
        stack.push("second", () -> {
            throw new AssertionError("boom");
        });

        assertThatThrownBy(stack::unwind).isInstanceOf(AssertionError.class);
    }

    @Test
    void aSecondUnwindRunsNothing() {
        AtomicInteger runs = new AtomicInteger();
        stack.push("remove the network", runs::incrementAndGet);

        stack.unwind();
        List<UndoStack.Failure> again = stack.unwind();

        assertThat(runs).hasValue(1);
        assertThat(again).isEmpty();
    }

    @Test
    void aPushAfterTheUnwindIsUndoneAtOnceAndRefused() {
        stack.unwind();
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> stack.push("close the control socket", runs::incrementAndGet))
                .isInstanceOfSatisfying(
                        SandboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.START_FAILED))
                .hasMessageContaining("torn down while it started")
                .hasMessageContaining("close the control socket");
        assertThat(runs).hasValue(1);
        assertThat(stack.pending()).isEmpty();
    }

    @Test
    void closingRegistersTheResourcesClose() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        AutoCloseable resource = closes::incrementAndGet;

        assertThat(stack.closing("stop the proxy", resource)).isSameAs(resource);
        stack.unwind();

        assertThat(closes).hasValue(1);
    }

    @RepeatedTest(20)
    void concurrentUnwindsRunEachUndoOnceAndTheLoserWaitsForTheWinner() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        for (int i = 0; i < 50; i++) {
            String step = "step " + i;
            stack.push(step, () -> {
                runs.computeIfAbsent(step, k -> new AtomicInteger()).incrementAndGet();
            });
        }
        int callers = 4;
        CyclicBarrier start = new CyclicBarrier(callers);
        List<Thread> threads = new ArrayList<>();
        List<Integer> pendingWhenReturned = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < callers; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                await(start);
                stack.unwind();
                // Whoever returns, the teardown is complete: nothing is left to undo.
                pendingWhenReturned.add(stack.pending().size());
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(runs).hasSize(50);
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        assertThat(pendingWhenReturned).hasSize(callers).containsOnly(0);
    }

    @RepeatedTest(20)
    void whatIsPushedWhileAnotherThreadUnwindsIsUndoneExactlyOnce() throws Exception {
        // A SIGTERM during provisioning: the signal's thread unwinds while the provisioning thread
        // goes on making things; each of them is undone once, by the unwind or at its push.
        Map<Integer, AtomicInteger> runs = new ConcurrentHashMap<>();
        AtomicInteger made = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(2);
        Thread provisioning = Thread.ofPlatform().start(() -> {
            await(start);
            for (int i = 0; i < 10_000; i++) {
                int step = i;
                made.incrementAndGet();
                try {
                    stack.push(
                            "step " + step,
                            () -> runs.computeIfAbsent(step, k -> new AtomicInteger())
                                    .incrementAndGet());
                } catch (SandboxException e) {
                    return; // provisioning stops at the first refused push
                }
            }
        });
        Thread signal = Thread.ofPlatform().start(() -> {
            await(start);
            stack.unwind();
        });
        provisioning.join();
        signal.join();

        assertThat(runs).hasSize(made.get());
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

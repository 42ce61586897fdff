package dev.openshell.bench;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.L7Request;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * L4 and L7 decisions against the 1,000-endpoint policy of {@link BenchmarkPolicies}, one thread.
 * Throughput mode gives decisions per second; sample-time mode gives latency percentiles (p99).
 * Each invocation evaluates the next of 4,096 pre-generated requests, so the run does not measure
 * one hot path only.
 */
@State(Scope.Thread)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PolicyEvaluationBenchmark {

    private static final int REQUESTS = 4096;

    private CompiledPolicy compiled;
    private L4Request[] l4;
    private L7Request[] l7;
    private L7Request[] spelled;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        compiled = PolicyEngine.compile(BenchmarkPolicies.policy());
        l4 = BenchmarkPolicies.l4Requests(REQUESTS, 42);
        l7 = BenchmarkPolicies.l7Requests(REQUESTS, 43);
        spelled = BenchmarkPolicies.spelledL7Requests(REQUESTS, 43);
        int allowed = 0;
        for (L4Request r : l4) {
            allowed += compiled.evaluate(r).permits() ? 1 : 0;
        }
        if (allowed < REQUESTS * 8 / 10) {
            throw new IllegalStateException("benchmark requests should mostly be allowed, got " + allowed);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Decision l4Throughput() {
        return compiled.evaluate(l4[next++ & (REQUESTS - 1)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Decision l7Throughput() {
        return compiled.evaluate(l7[next++ & (REQUESTS - 1)]);
    }

    /** L7 decisions for paths that need the slow decoding and folding path (see spelledL7Requests). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Decision l7SpelledThroughput() {
        return compiled.evaluate(spelled[next++ & (REQUESTS - 1)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Decision l4Latency() {
        return compiled.evaluate(l4[next++ & (REQUESTS - 1)]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Decision l7Latency() {
        return compiled.evaluate(l7[next++ & (REQUESTS - 1)]);
    }
}

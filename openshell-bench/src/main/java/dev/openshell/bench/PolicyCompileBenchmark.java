package dev.openshell.bench;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Policy;
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
import org.openjdk.jmh.annotations.Warmup;

/** Time to compile the 1,000-endpoint policy of {@link BenchmarkPolicies} (model already built). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PolicyCompileBenchmark {

    private Policy policy;

    @Setup(Level.Trial)
    public void setUp() {
        policy = BenchmarkPolicies.policy();
        if (policy.endpointCount() != 1000) {
            throw new IllegalStateException("expected 1,000 endpoints, got " + policy.endpointCount());
        }
    }

    @Benchmark
    public CompiledPolicy compile() {
        return PolicyEngine.compile(policy);
    }
}

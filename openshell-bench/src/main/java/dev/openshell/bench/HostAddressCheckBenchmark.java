package dev.openshell.bench;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.L7Request;
import dev.openshell.sandbox.linux.KernelRoutes;
import dev.openshell.sandbox.proxy.HostAddressCheck;
import java.net.InetAddress;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the destination guard's "is this an address of the host?" costs the proxy: one netlink
 * {@code RTM_GETROUTE} per destination address ({@link KernelRoutes}), alone and inside an L4 and
 * an L7 decision of the 1,000-endpoint policy, against the same decisions without the check
 * ({@code *Unchecked}). Sample-time mode: latency per call.
 */
@State(Scope.Thread)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HostAddressCheckBenchmark {

    private static final int REQUESTS = 4096;

    private KernelRoutes routes;
    private HostAddressCheck check;
    private CompiledPolicy unchecked;
    private CompiledPolicy checked;
    private L4Request[] l4;
    private L7Request[] l7;
    private InetAddress remote;
    private InetAddress local;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        routes = KernelRoutes.open();
        check = HostAddressCheck.open(List.of());
        unchecked = PolicyEngine.compile(BenchmarkPolicies.policy());
        checked = unchecked.withHostAddresses(check);
        l4 = BenchmarkPolicies.l4Requests(REQUESTS, 42);
        l7 = BenchmarkPolicies.l7Requests(REQUESTS, 43);
        remote = InetAddress.ofLiteral("140.82.112.3");
        local = InetAddress.ofLiteral("127.0.0.1");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        routes.close();
        check.close();
    }

    @Benchmark
    public KernelRoutes.RouteType routeOfRemoteAddress() {
        return routes.typeOf(remote);
    }

    @Benchmark
    public KernelRoutes.RouteType routeOfLocalAddress() {
        return routes.typeOf(local);
    }

    @Benchmark
    public Decision l4Checked() {
        return checked.evaluate(l4[next++ & (REQUESTS - 1)]);
    }

    @Benchmark
    public Decision l4Unchecked() {
        return unchecked.evaluate(l4[next++ & (REQUESTS - 1)]);
    }

    @Benchmark
    public Decision l7Checked() {
        return checked.evaluate(l7[next++ & (REQUESTS - 1)]);
    }

    @Benchmark
    public Decision l7Unchecked() {
        return unchecked.evaluate(l7[next++ & (REQUESTS - 1)]);
    }
}

package dev.openshell.bench;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.DecidingEndpoint;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.Layer;
import dev.openshell.policy.model.Verdict;
import dev.openshell.sandbox.proxy.deny.Denial;
import dev.openshell.sandbox.proxy.deny.ProxyResponses;
import dev.openshell.sandbox.proxy.log.DecisionLines;
import dev.openshell.sandbox.proxy.log.DecisionRecord;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JSON the proxy writes per decision: one decision-log line (as the log's writer thread
 * encodes it, UTF-8 bytes with the newline) for an L4 tunnel and for an L7 request, and the 403
 * denial and a 400 error as the proxy answers them (a pooled buffer, as on the event loop). Throughput mode, one thread; run with {@code -prof gc} for the bytes allocated.
 */
@State(Scope.Thread)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecisionLogBenchmark {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private final DecisionRecord l4 = new DecisionRecord(
            Instant.parse("2026-11-27T10:15:30.123456Z"),
            "sb-demo",
            "/usr/bin/curl",
            4242,
            "api.github.com",
            443,
            "CONNECT",
            null,
            "allow",
            "l4",
            "github",
            "endpoints[0]",
            "policy github allows /usr/bin/curl to reach api.github.com:443",
            7,
            183,
            null);

    private final DecisionRecord l7 = new DecisionRecord(
            Instant.parse("2026-11-27T10:15:30.123456Z"),
            "sb-demo",
            "/usr/bin/python3.11",
            4243,
            "api.github.com",
            443,
            "GET",
            "/repos/openshell/openshell/pulls?state=*&per_page=*",
            "allow",
            "l7",
            "github",
            "access: read-only",
            "policy github allows GET /repos/openshell/openshell/pulls on api.github.com:443 (access: read-only)",
            7,
            41,
            null);

    private final Denial denial = new Denial(
            "sb-demo",
            new Decision(
                    Verdict.DENY,
                    Layer.L4,
                    Optional.of(new DecidingEndpoint("github", 0)),
                    Optional.empty(),
                    "no policy allows /usr/bin/python3.11 to reach api.github.com:443; policy github allows it for"
                            + " /usr/bin/gh",
                    false,
                    Optional.of("--add-endpoint api.github.com:443 --binary /usr/bin/python3.11")),
            "api.github.com",
            443,
            "/usr/bin/python3.11",
            "CONNECT",
            null);

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);

    @Benchmark
    public int l4Line() {
        return encode(l4);
    }

    @Benchmark
    public int l7Line() {
        return encode(l7);
    }

    @Benchmark
    public int denialResponse() {
        FullHttpResponse response = ProxyResponses.denied(ALLOC, denial, false);
        int size = response.content().readableBytes();
        response.release();
        return size;
    }

    @Benchmark
    public int errorResponse() {
        FullHttpResponse response =
                ProxyResponses.error(ALLOC, ErrorCode.BAD_REQUEST, "obsolete line folding in headers", false);
        int size = response.content().readableBytes();
        response.release();
        return size;
    }

    /** As the decision log's writer thread does it: into one reused buffer, then to the file. */
    private int encode(DecisionRecord r) {
        line.reset();
        DecisionLines.write(r, line);
        line.write('\n');
        return line.size();
    }
}

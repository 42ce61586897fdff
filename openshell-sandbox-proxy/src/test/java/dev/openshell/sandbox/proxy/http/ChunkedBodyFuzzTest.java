package dev.openshell.sandbox.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.proxy.shared.ProxyLimits;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated chunked bodies through the real {@link GuardedRequestDecoder}, in random
 * fragments, judged against a small reference parser of the strict grammar written independently
 * of {@link ChunkedBodyScan}: a body the reference accepts is decoded to exactly its data and ends
 * exactly where it ends (the request behind it is decoded on its own); a body it refuses is
 * refused before the request completes, and nothing after it is decoded; an incomplete one waits.
 */
class ChunkedBodyFuzzTest {

    private static final String HEAD = "POST /f HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n";
    private static final String NEXT = "GET /next HTTP/1.1\r\nHost: a.test\r\n\r\n";

    @Test
    void randomAndMutatedBodiesAreReadExactlyAsFramedOrRefused() {
        Random random = new Random(20261201);
        int[] seen = new int[3];
        for (int i = 0; i < 20_000; i++) {
            byte[] body = switch (i % 4) {
                case 0 -> ChunkedBodies.randomBytes(random);
                case 1 -> ChunkedBodies.validBody(random);
                default -> ChunkedBodies.mutate(random, ChunkedBodies.validBody(random));
            };
            seen[check(body, random)]++;
        }
        // the generator must exercise all three outcomes substantially
        String counts = "accepted " + seen[0] + ", refused " + seen[1] + ", incomplete " + seen[2];
        assertThat(seen[0]).as(counts).isGreaterThan(3000);
        assertThat(seen[1]).as(counts).isGreaterThan(3000);
        assertThat(seen[2]).as(counts).isGreaterThan(50);
    }

    /** Returns 0 for accepted, 1 for refused, 2 for incomplete. */
    private static int check(byte[] body, Random random) {
        byte[] stream = ChunkedBodies.concat(body, NEXT.getBytes(StandardCharsets.ISO_8859_1));
        ChunkedBodies.Reference ref = ChunkedBodies.Reference.parse(stream);
        Decoded d = decode(ChunkedBodies.concat(HEAD.getBytes(StandardCharsets.ISO_8859_1), stream), random);
        String what = "body " + ChunkedBodies.printable(body) + " (reference: " + ref + ")";
        switch (ref.outcome) {
            case ACCEPTED -> {
                assertThat(d.rejected).as(what).isNull();
                assertThat(d.completed).as(what).isTrue();
                assertThat(d.data.toByteArray()).as(what).isEqualTo(ref.data);
                if (ref.end == body.length) {
                    assertThat(d.after).as(what).containsExactly("/next");
                }
                return 0;
            }
            case REFUSED -> {
                assertThat(d.rejected).as(what).isNotNull();
                assertThat(d.completed).as(what + ": completed before refusal").isFalse();
                assertThat(d.after).as(what + ": decoded after refusal").isEmpty();
                return 1;
            }
            default -> {
                assertThat(d.rejected).as(what).isNull();
                assertThat(d.completed).as(what).isFalse();
                return 2;
            }
        }
    }

    /** What the decoder made of one input. */
    private static final class Decoded {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        boolean completed;
        RejectedRequest rejected;
        final List<String> after = new ArrayList<>();
    }

    private static Decoded decode(byte[] input, Random random) {
        EmbeddedChannel channel = new EmbeddedChannel(new GuardedRequestDecoder(ProxyLimits.DEFAULT));
        Decoded d = new Decoded();
        int requests = 0;
        try {
            for (int at = 0; at < input.length && channel.isOpen(); ) {
                int n = Math.min(input.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 200));
                channel.writeInbound(Unpooled.wrappedBuffer(input, at, n));
                at += n;
                for (Object o; (o = channel.readInbound()) != null; ) {
                    try {
                        if (o instanceof RejectedRequest r) {
                            if (d.rejected == null) {
                                d.rejected = r;
                            }
                        } else if (o instanceof HttpRequest r) {
                            if (++requests > 1) {
                                d.after.add(r.uri());
                            }
                        }
                        if (requests == 1 && !d.completed && o instanceof HttpContent c) {
                            d.data.writeBytes(ByteBufUtil.getBytes(c.content()));
                            if (o instanceof LastHttpContent) {
                                d.completed = true;
                            }
                        }
                    } finally {
                        ReferenceCountUtil.release(o);
                    }
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return d;
    }
}

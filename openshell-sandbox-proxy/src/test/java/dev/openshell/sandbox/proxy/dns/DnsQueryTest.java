package dev.openshell.sandbox.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsQueryTest {

    /** A query as glibc sends it: id, RD, one question. */
    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.ISO_8859_1);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        out.writeBytes(new byte[] {(byte) (type >> 8), (byte) type, 0, 1});
        return out.toByteArray();
    }

    private static DnsQuery parse(byte[] packet) {
        return DnsQuery.parse(ByteBuffer.wrap(packet)).orElseThrow();
    }

    @Test
    void parsesAStandardQuery() {
        DnsQuery q = parse(query(0x1234, "API.Test", DnsQuery.TYPE_A));
        assertThat(q.id()).isEqualTo(0x1234);
        assertThat(q.name()).isEqualTo("api.test");
        assertThat(q.type()).isEqualTo(DnsQuery.TYPE_A);
        assertThat(q.qclass()).isEqualTo(DnsQuery.CLASS_IN);
        assertThat(q.isStandardQuery()).isTrue();
        assertThat(q.hasHostName()).isTrue();
    }

    @Test
    void answersWithOneRecordPerAddressPointingAtTheQuestion() throws Exception {
        byte[] packet = query(7, "api.test", DnsQuery.TYPE_A);
        byte[] answer = parse(packet)
                .answer(List.of((Inet4Address) InetAddress.getByName("10.96.0.1")), SandboxDns.TTL_SECONDS);
        ByteBuffer in = ByteBuffer.wrap(answer);
        assertThat(in.getShort()).isEqualTo((short) 7);
        assertThat(in.getShort() & 0xFFFF).isEqualTo(0x8180); // QR, RD, RA, NOERROR
        assertThat(in.getShort()).isEqualTo((short) 1);
        assertThat(in.getShort()).isEqualTo((short) 1);
        assertThat(Arrays.copyOfRange(answer, 12, packet.length))
                .isEqualTo(Arrays.copyOfRange(packet, 12, packet.length));
        in.position(packet.length);
        assertThat(in.getShort() & 0xFFFF).isEqualTo(0xC00C);
        assertThat(in.getShort()).isEqualTo((short) DnsQuery.TYPE_A);
        assertThat(in.getShort()).isEqualTo((short) DnsQuery.CLASS_IN);
        assertThat(in.getInt()).isEqualTo(5);
        assertThat(in.getShort()).isEqualTo((short) 4);
        assertThat(in.get() & 0xFF).isEqualTo(10);
        assertThat(answer).hasSize(packet.length + 16);
    }

    @Test
    void manyAddressesAreCutToFitTheClassicSize() throws Exception {
        Inet4Address address = (Inet4Address) InetAddress.getByName("10.0.0.1");
        byte[] answer = parse(query(1, "a.test", DnsQuery.TYPE_A)).answer(Collections.nCopies(100, address), 5);
        assertThat(answer.length).isLessThanOrEqualTo(DnsQuery.MAX_PACKET);
    }

    @Test
    void errorResponsesCarryTheRcodeAndNoRecords() {
        byte[] response = parse(query(9, "nope.test", DnsQuery.TYPE_A)).response(DnsQuery.NXDOMAIN);
        assertThat(response[3] & 0x0F).isEqualTo(DnsQuery.NXDOMAIN);
        assertThat(response[7]).isZero();
    }

    @Test
    void truncatedPacketsAreDropped() {
        byte[] full = query(1, "api.test", DnsQuery.TYPE_A);
        for (int length = 0; length < full.length; length++) {
            assertThat(DnsQuery.parse(ByteBuffer.wrap(full, 0, length)))
                    .as("length %d", length)
                    .isEmpty();
        }
    }

    @Test
    void compressionPointersAndLoopsAreDropped() {
        byte[] header = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        byte[] loop = concat(header, new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1});
        byte[] later = concat(header, new byte[] {1, 'a', (byte) 0xC0, 12, 0, 1, 0, 1});
        byte[] reserved = concat(header, new byte[] {(byte) 0x40, 'a', 0, 0, 1, 0, 1});
        assertThat(DnsQuery.parse(ByteBuffer.wrap(loop))).isEmpty();
        assertThat(DnsQuery.parse(ByteBuffer.wrap(later))).isEmpty();
        assertThat(DnsQuery.parse(ByteBuffer.wrap(reserved))).isEmpty();
    }

    @Test
    void oversizeLabelsNamesAndPacketsAreDropped() {
        assertThat(DnsQuery.parse(ByteBuffer.wrap(query(1, "a".repeat(64) + ".test", 1))))
                .isEmpty();
        assertThat(DnsQuery.parse(ByteBuffer.wrap(query(1, "a".repeat(63) + ".test", 1))))
                .isPresent();
        String longName = String.join(".", Collections.nCopies(5, "b".repeat(60)));
        assertThat(DnsQuery.parse(ByteBuffer.wrap(query(1, longName, 1)))).isEmpty();
        assertThat(DnsQuery.parse(ByteBuffer.wrap(new byte[DnsQuery.MAX_PACKET + 1])))
                .isEmpty();
    }

    @Test
    void responsesAndMultiQuestionPacketsAreDropped() {
        byte[] response = query(1, "a.test", 1);
        response[2] |= (byte) 0x80;
        byte[] twoQuestions = query(1, "a.test", 1);
        twoQuestions[5] = 2;
        byte[] withAnswers = query(1, "a.test", 1);
        withAnswers[7] = 1;
        assertThat(DnsQuery.parse(ByteBuffer.wrap(response))).isEmpty();
        assertThat(DnsQuery.parse(ByteBuffer.wrap(twoQuestions))).isEmpty();
        assertThat(DnsQuery.parse(ByteBuffer.wrap(withAnswers))).isEmpty();
    }

    @Test
    void onlyHostNamesAreLookedUp() {
        assertThat(parse(query(1, "localhost", 1)).hasHostName()).isFalse();
        assertThat(parse(query(1, "a b.test", 1)).hasHostName()).isFalse();
        assertThat(parse(query(1, "x\u00e9.test", 1)).hasHostName()).isFalse();
        assertThat(parse(query(1, "_srv.a-b.test", 1)).hasHostName()).isTrue();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

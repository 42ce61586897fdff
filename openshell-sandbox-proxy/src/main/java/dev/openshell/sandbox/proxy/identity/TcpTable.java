package dev.openshell.sandbox.proxy.identity;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kernel's {@code /proc/<pid>/net/tcp} and {@code tcp6} tables. Addresses there are hex
 * 32-bit words in host (little-endian) byte order, ports are big-endian hex, the inode is decimal.
 * Hand-written over bytes because it runs on every new proxy connection.
 */
final class TcpTable {

    /** TCP state {@code LISTEN} as printed in the {@code st} column. */
    static final int STATE_LISTEN = 0x0A;

    /** One row of a table, addresses as 16-byte network-order arrays (IPv4 as IPv4-mapped IPv6). */
    record Row(byte[] local, int localPort, byte[] remote, int remotePort, int state, long inode) {}

    private TcpTable() {}

    /**
     * Finds the inode of the socket whose local end is {@code local} and remote end {@code remote}.
     *
     * @param ipv6Table true for the {@code tcp6} format (four words per address), false for {@code tcp}
     * @return the inode, or -1 when no live socket matches (inode 0 means the owner already closed it)
     */
    static long findInode(byte[] table, boolean ipv6Table, InetSocketAddress local, InetSocketAddress remote) {
        int[] localWords = words(local.getAddress(), ipv6Table);
        int[] remoteWords = words(remote.getAddress(), ipv6Table);
        if (localWords == null || remoteWords == null) {
            return -1;
        }
        Cursor c = new Cursor(table);
        int[] rowLocal = new int[localWords.length];
        int[] rowRemote = new int[remoteWords.length];
        while (c.nextRow()) {
            int localPort = c.address(rowLocal);
            if (localPort != local.getPort() || !equal(rowLocal, localWords)) {
                continue;
            }
            int remotePort = c.address(rowRemote);
            if (remotePort != remote.getPort() || !equal(rowRemote, remoteWords)) {
                continue;
            }
            c.hex(); // st
            long inode = c.inode();
            if (inode > 0) {
                return inode;
            }
        }
        return -1;
    }

    /** Parses every row (for diagnostics and tests; the hot path is {@link #findInode}). */
    static List<Row> parse(byte[] table, boolean ipv6Table) {
        List<Row> rows = new ArrayList<>();
        Cursor c = new Cursor(table);
        int n = ipv6Table ? 4 : 1;
        int[] l = new int[n];
        int[] r = new int[n];
        while (c.nextRow()) {
            int lp = c.address(l);
            int rp = c.address(r);
            int state = (int) c.hex();
            long inode = c.inode();
            rows.add(new Row(toBytes(l), lp, toBytes(r), rp, state, inode));
        }
        return rows;
    }

    /**
     * The address as the table prints it: one word per 4 bytes, each word the little-endian reading
     * of those bytes. Null when the address cannot appear in this table (IPv6 in {@code tcp}).
     */
    static int[] words(InetAddress address, boolean ipv6Table) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && isIpv4Mapped(b)) {
            b = new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (!ipv6Table) {
            return b.length == 4 ? new int[] {word(b, 0)} : null;
        }
        if (b.length == 4) {
            // IPv4 on a dual-stack socket shows as ::ffff:a.b.c.d in tcp6
            return new int[] {0, 0, 0xFFFF0000, word(b, 0)};
        }
        return new int[] {word(b, 0), word(b, 4), word(b, 8), word(b, 12)};
    }

    static boolean isIpv4(InetAddress address) {
        return address instanceof Inet4Address || isIpv4Mapped(address.getAddress());
    }

    private static boolean isIpv4Mapped(byte[] b) {
        if (b.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
    }

    private static int word(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    private static byte[] toBytes(int[] words) {
        byte[] out = new byte[16];
        int off = 0;
        if (words.length == 1) {
            out[10] = (byte) 0xFF;
            out[11] = (byte) 0xFF;
            off = 12;
        }
        for (int w : words) {
            out[off] = (byte) w;
            out[off + 1] = (byte) (w >>> 8);
            out[off + 2] = (byte) (w >>> 16);
            out[off + 3] = (byte) (w >>> 24);
            off += 4;
        }
        return out;
    }

    private static boolean equal(int[] a, int[] b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** Walks the table a field at a time; positioned on the start of a row after {@link #nextRow}. */
    private static final class Cursor {
        private final byte[] buf;
        private int pos;
        private int lineEnd;

        Cursor(byte[] buf) {
            this.buf = buf;
            // skip the header line
            this.lineEnd = indexOfNewline(0);
        }

        /** Moves to the next data row and past its "sl:" column; false at the end. */
        boolean nextRow() {
            while (lineEnd >= 0 && lineEnd < buf.length) {
                pos = lineEnd + 1;
                lineEnd = indexOfNewline(pos);
                skipSpaces();
                int colon = pos;
                while (colon < lineEnd && buf[colon] != ':') {
                    colon++;
                }
                if (colon < lineEnd) {
                    pos = colon + 1;
                    return true;
                }
            }
            return false;
        }

        /** Reads "ADDR:PORT" into {@code out} (as printed words) and returns the port, or -1 if malformed. */
        int address(int[] out) {
            skipSpaces();
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) hexDigits(8);
            }
            if (pos >= lineEnd || buf[pos] != ':') {
                pos = lineEnd;
                return -1;
            }
            pos++;
            return (int) hexDigits(4);
        }

        long hex() {
            skipSpaces();
            long v = 0;
            while (pos < lineEnd && buf[pos] != ' ' && buf[pos] != ':') {
                v = (v << 4) | digit(buf[pos++]);
            }
            return v;
        }

        /** Skips tx:rx, tr:tm, retrnsmt, uid, timeout and reads the decimal inode. */
        long inode() {
            for (int field = 0; field < 5; field++) {
                skipSpaces();
                while (pos < lineEnd && buf[pos] != ' ') {
                    pos++;
                }
            }
            skipSpaces();
            long v = 0;
            boolean any = false;
            while (pos < lineEnd && buf[pos] >= '0' && buf[pos] <= '9') {
                v = v * 10 + (buf[pos++] - '0');
                any = true;
            }
            return any ? v : -1;
        }

        private long hexDigits(int count) {
            long v = 0;
            for (int i = 0; i < count && pos < lineEnd; i++) {
                int d = digit(buf[pos]);
                if (d < 0) {
                    break;
                }
                v = (v << 4) | d;
                pos++;
            }
            return v;
        }

        private static int digit(byte b) {
            if (b >= '0' && b <= '9') {
                return b - '0';
            }
            if (b >= 'A' && b <= 'F') {
                return b - 'A' + 10;
            }
            if (b >= 'a' && b <= 'f') {
                return b - 'a' + 10;
            }
            return -1;
        }

        private void skipSpaces() {
            while (pos < lineEnd && buf[pos] == ' ') {
                pos++;
            }
        }

        private int indexOfNewline(int from) {
            for (int i = from; i < buf.length; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            return buf.length;
        }
    }
}

package dev.openshell.policy.corpus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Mutates YAML documents for the fuzz test: byte flips, truncation, line and key swaps, deep
 * nesting, random Unicode, huge numbers, tags, anchors and aliases. Each mutation is recorded so a
 * failure can say how its document was made.
 */
final class YamlMutator {

    private static final List<String> KEYS = List.of(
            "version",
            "filesystem_policy",
            "include_workdir",
            "read_only",
            "read_write",
            "landlock",
            "compatibility",
            "process",
            "run_as_user",
            "run_as_group",
            "network_policies",
            "name",
            "endpoints",
            "binaries",
            "host",
            "port",
            "ports",
            "protocol",
            "enforcement",
            "access",
            "rules",
            "deny_rules",
            "allow",
            "method",
            "path",
            "query",
            "any",
            "allowed_ips");
    private static final List<String> SCALARS = List.of(
            "99999999999999999999999999999999",
            "-99999999999999999999",
            "1e400",
            "0x7fffffff",
            "0o777",
            "2147483648",
            "-0",
            ".inf",
            ".nan",
            "~",
            "null",
            "true",
            "no",
            "''",
            "\"\\0\"",
            "\"\\uD800\"",
            "\"*\"",
            "\"**\"",
            "[]",
            "{}",
            "[[]]",
            "{ a: { b: { c: d } } }",
            "!!binary aGVsbG8=",
            "!!set { a, b }",
            "!!omap [ a: 1 ]",
            "!!timestamp 2001-12-14",
            "!!java.net.URL [\"http://example.com\"]",
            "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://x\"]]]]",
            "!custom tag",
            "&anchor value",
            "*anchor",
            "*undefined",
            "|\n  block\n  text",
            ">-\n  folded",
            "\"\\u202Eevil\\u200B\"",
            "? complex\n: key",
            "<<: *anchor");

    private final RandomGenerator random;
    private final List<String> log = new ArrayList<>();

    YamlMutator(RandomGenerator random) {
        this.random = random;
    }

    /** The mutations applied since the last {@link #mutate} call started. */
    List<String> log() {
        return List.copyOf(log);
    }

    byte[] mutate(byte[] seed, byte[] other) {
        log.clear();
        byte[] doc = seed;
        int rounds = 1 + random.nextInt(3);
        for (int i = 0; i < rounds; i++) {
            doc = once(doc, other);
        }
        return doc;
    }

    private byte[] once(byte[] doc, byte[] other) {
        int op = random.nextInt(16);
        return switch (op) {
            case 0 -> flipBytes(doc);
            case 1 -> truncate(doc);
            case 2 -> text(swapLines(lines(doc)), "swap-lines");
            case 3 -> text(duplicateLine(lines(doc)), "duplicate-line");
            case 4 -> text(deleteLine(lines(doc)), "delete-line");
            case 5 -> swapKeys(doc);
            case 6 -> replaceScalar(doc);
            case 7 -> deepNesting(doc);
            case 8 -> randomUnicode(doc);
            case 9 -> anchorsAndAliases(doc);
            case 10 -> reindent(doc);
            case 11 -> splice(doc, other);
            case 12 -> insertSpecial(doc);
            case 13 -> aliasBomb(doc);
            case 14 -> text(insertKey(lines(doc)), "insert-key");
            default -> flipBits(doc);
        };
    }

    private byte[] flipBytes(byte[] doc) {
        byte[] out = Arrays.copyOf(doc, doc.length);
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n && out.length > 0; i++) {
            int at = random.nextInt(out.length);
            out[at] = (byte) random.nextInt(256);
            log.add("flip-byte@" + at);
        }
        return out;
    }

    private byte[] flipBits(byte[] doc) {
        byte[] out = Arrays.copyOf(doc, doc.length);
        if (out.length > 0) {
            int at = random.nextInt(out.length);
            out[at] ^= (byte) (1 << random.nextInt(8));
            log.add("flip-bit@" + at);
        }
        return out;
    }

    private byte[] truncate(byte[] doc) {
        int at = doc.length == 0 ? 0 : random.nextInt(doc.length);
        log.add("truncate@" + at);
        return Arrays.copyOf(doc, at);
    }

    private List<String> lines(byte[] doc) {
        return new ArrayList<>(Arrays.asList(new String(doc, StandardCharsets.UTF_8).split("\n", -1)));
    }

    private byte[] text(List<String> lines, String what) {
        log.add(what);
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    private List<String> swapLines(List<String> lines) {
        if (lines.size() > 1) {
            int a = random.nextInt(lines.size());
            int b = random.nextInt(lines.size());
            String t = lines.get(a);
            lines.set(a, lines.get(b));
            lines.set(b, t);
        }
        return lines;
    }

    private List<String> duplicateLine(List<String> lines) {
        int at = random.nextInt(lines.size());
        lines.add(at, lines.get(at));
        return lines;
    }

    private List<String> deleteLine(List<String> lines) {
        if (lines.size() > 1) {
            lines.remove(random.nextInt(lines.size()));
        }
        return lines;
    }

    private List<String> insertKey(List<String> lines) {
        int at = random.nextInt(lines.size() + 1);
        String indent = " ".repeat(2 * random.nextInt(5));
        lines.add(at, indent + pick(KEYS) + ": " + pick(SCALARS));
        return lines;
    }

    private byte[] swapKeys(byte[] doc) {
        String s = new String(doc, StandardCharsets.UTF_8);
        String a = pick(KEYS);
        String b = pick(KEYS);
        log.add("swap-keys " + a + "<->" + b);
        return s.replace(a + ":", "\u0000TMP:")
                .replace(b + ":", a + ":")
                .replace("\u0000TMP:", b + ":")
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] replaceScalar(byte[] doc) {
        String s = new String(doc, StandardCharsets.UTF_8);
        List<Integer> colons = new ArrayList<>();
        for (int i = s.indexOf(": "); i >= 0; i = s.indexOf(": ", i + 1)) {
            colons.add(i);
        }
        String value = pick(SCALARS);
        if (colons.isEmpty()) {
            log.add("append-scalar " + value);
            return (s + "\nx: " + value).getBytes(StandardCharsets.UTF_8);
        }
        int at = colons.get(random.nextInt(colons.size())) + 2;
        int end = s.indexOf('\n', at);
        end = end < 0 ? s.length() : end;
        int stop = s.indexOf(',', at);
        if (stop >= 0 && stop < end && random.nextBoolean()) {
            end = stop;
        }
        log.add("replace-scalar@" + at + " " + value);
        return (s.substring(0, at) + value + s.substring(end)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] deepNesting(byte[] doc) {
        int depth = 1 + random.nextInt(1000);
        boolean flowSeq = random.nextBoolean();
        String open = flowSeq ? "[" : "{a: ";
        String close = flowSeq ? "]" : "}";
        String nested = open.repeat(depth) + (flowSeq ? "" : "x") + close.repeat(depth);
        log.add("deep-nesting " + depth + (flowSeq ? " seq" : " map"));
        return insertAfterColon(doc, nested);
    }

    private byte[] insertAfterColon(byte[] doc, String value) {
        String s = new String(doc, StandardCharsets.UTF_8);
        int at = s.indexOf(": ", random.nextInt(Math.max(1, s.length())));
        if (at < 0) {
            return (s + "\nversion: " + value + "\n").getBytes(StandardCharsets.UTF_8);
        }
        return (s.substring(0, at + 2) + value + " " + s.substring(at + 2)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomUnicode(byte[] doc) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            int cp;
            do {
                cp = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x20);
                    case 1 -> 0x80 + random.nextInt(0x780);
                    case 2 -> 0x2000 + random.nextInt(0x100);
                    default -> random.nextInt(0x10FFFF);
                };
            } while (cp >= 0xD800 && cp <= 0xDFFF);
            sb.appendCodePoint(cp);
        }
        String s = new String(doc, StandardCharsets.UTF_8);
        int at = s.isEmpty() ? 0 : random.nextInt(s.length());
        while (at > 0 && at < s.length() && Character.isLowSurrogate(s.charAt(at))) {
            at--;
        }
        log.add("unicode@" + at);
        return (s.substring(0, at) + sb + s.substring(at)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] anchorsAndAliases(byte[] doc) {
        String s = new String(doc, StandardCharsets.UTF_8);
        String name = "a" + random.nextInt(3);
        int first = s.indexOf(": ", random.nextInt(Math.max(1, s.length())));
        if (first >= 0) {
            s = s.substring(0, first + 2) + "&" + name + " " + s.substring(first + 2);
        }
        int aliases = 1 + random.nextInt(60);
        for (int i = 0; i < aliases; i++) {
            int at = s.indexOf(": ", random.nextInt(Math.max(1, s.length())));
            if (at < 0) {
                break;
            }
            int end = s.indexOf('\n', at);
            end = end < 0 ? s.length() : end;
            s = s.substring(0, at + 2) + "*" + name + s.substring(end);
        }
        log.add("anchor+" + aliases + "-aliases " + name);
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] aliasBomb(byte[] doc) {
        int levels = 2 + random.nextInt(9);
        int width = 2 + random.nextInt(9);
        StringBuilder sb = new StringBuilder("b0: &b0 [lol]\n");
        for (int i = 1; i < levels; i++) {
            sb.append('b').append(i).append(": &b").append(i).append(" [");
            for (int j = 0; j < width; j++) {
                sb.append(j == 0 ? "" : ", ").append("*b").append(i - 1);
            }
            sb.append("]\n");
        }
        sb.append("filesystem_policy: { read_only: *b").append(levels - 1).append(" }\n");
        log.add("alias-bomb " + levels + "x" + width);
        return (new String(doc, StandardCharsets.UTF_8) + "\n" + sb).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] reindent(byte[] doc) {
        List<String> lines = lines(doc);
        int at = random.nextInt(lines.size());
        String line = lines.get(at);
        lines.set(at, random.nextBoolean() ? " ".repeat(1 + random.nextInt(3)) + line : line.stripLeading());
        return text(lines, "reindent@" + at);
    }

    private byte[] splice(byte[] doc, byte[] other) {
        int a = doc.length == 0 ? 0 : random.nextInt(doc.length);
        int b = other.length == 0 ? 0 : random.nextInt(other.length);
        byte[] out = new byte[a + other.length - b];
        System.arraycopy(doc, 0, out, 0, a);
        System.arraycopy(other, b, out, a, other.length - b);
        log.add("splice@" + a + "/" + b);
        return out;
    }

    private byte[] insertSpecial(byte[] doc) {
        String special = pick(List.of(
                "\t",
                "\r",
                "\r\n",
                "\u0000",
                "\uFEFF",
                "\n---\n",
                "\n...\n",
                "%YAML 1.2\n---\n",
                "%TAG ! tag:x,2000:\n",
                "#",
                "\"",
                "'",
                "\\",
                "{",
                "}",
                "[",
                "]",
                ",",
                "? ",
                ": ",
                "- ",
                "|",
                ">",
                "!",
                "&",
                "*",
                "@",
                "`"));
        String s = new String(doc, StandardCharsets.UTF_8);
        int at = s.isEmpty() ? 0 : random.nextInt(s.length());
        while (at > 0 && at < s.length() && Character.isLowSurrogate(s.charAt(at))) {
            at--;
        }
        log.add("insert-special@" + at + " "
                + special.codePoints().mapToObj(Integer::toHexString).toList());
        return (s.substring(0, at) + special + s.substring(at)).getBytes(StandardCharsets.UTF_8);
    }

    private String pick(List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}

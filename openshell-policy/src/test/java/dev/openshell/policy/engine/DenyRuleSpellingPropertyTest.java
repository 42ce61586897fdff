package dev.openshell.policy.engine;

import static dev.openshell.policy.engine.TestPolicies.ep;
import static dev.openshell.policy.engine.TestPolicies.l4;
import static dev.openshell.policy.engine.TestPolicies.l7;
import static dev.openshell.policy.engine.TestPolicies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.PolicyEngine;
import dev.openshell.policy.match.PathGlob;
import dev.openshell.policy.match.RequestTarget;
import dev.openshell.policy.model.Access;
import dev.openshell.policy.model.CompiledPolicy;
import dev.openshell.policy.model.Decision;
import dev.openshell.policy.model.L4Request;
import dev.openshell.policy.model.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * For random deny globs, random paths they cover and random spellings of those paths (percent
 * and double encoding, case, Unicode compatibility and case-mapping forms, matrix parameters,
 * empty segments, trailing dots and whitespace, queries, and the refused forms: dot-segments,
 * encoded slashes, backslashes, controls, fragments), no spelling is ever allowed. And whatever a
 * request is decided, its canonical form (what the proxy forwards) is decided the same way. The
 * seed is printed in every failure; replay with {@code -Dspelling.seed=N}.
 */
class DenyRuleSpellingPropertyTest {

    private static final String BIN = "/usr/bin/curl";
    private static final L4Request CONN = l4(BIN, "api.example.com", 443, "93.184.216.34");
    private static final int GLOBS = 1_500;
    private static final int SPELLINGS = 25;
    private static final String WORD_CHARS = "abcikstABIKS019-_";
    private static final String[] METHODS = {"GET", "get", "POST", "Delete", "DELETE", "PATCH"};

    private static long seed() {
        String s = System.getProperty("spelling.seed");
        return s != null ? Long.parseLong(s) : System.nanoTime();
    }

    @Test
    void aPathADenyRuleCoversIsNeverAllowedHoweverItIsSpelled() {
        long seed = seed();
        Random rnd = new Random(seed);
        int checked = 0;
        int deniedByRule = 0;
        int refused = 0;
        int foldedMatches = 0;
        for (int n = 0; n < GLOBS; n++) {
            String glob = randomGlob(rnd);
            String path = instantiate(rnd, glob);
            if (!PathGlob.compile(glob).matches(path)) {
                continue;
            }
            boolean anyMethod = rnd.nextInt(4) != 0;
            CompiledPolicy p = PolicyEngine.compile(policy().network(
                            "p",
                            List.of(BIN),
                            ep("api.example.com", 443).rest(Access.FULL).deny(anyMethod ? "*" : "DELETE", glob))
                    .build());
            for (int k = 0; k < SPELLINGS; k++) {
                String spelling = spell(rnd, path);
                String method =
                        anyMethod ? METHODS[rnd.nextInt(METHODS.length)] : pick(rnd, "DELETE", "delete", "Delete");
                Decision d = p.evaluate(l7(CONN, method, spelling));
                assertThat(d.verdict())
                        .as(
                                "seed=%d deny=%s covered=%s spelling=%s method=%s: %s",
                                seed, glob, path, spelling, method, d.reason())
                        .isEqualTo(Verdict.DENY);
                checked++;
                if (d.rule().filter("deny_rules[0]"::equals).isPresent()) {
                    deniedByRule++;
                    RequestTarget t = RequestTarget.parse(spelling);
                    if (!PathGlob.compile(glob).matches(t.path())) {
                        foldedMatches++;
                    }
                } else {
                    refused++;
                }
            }
        }
        // The generator must exercise both outcomes, and the fold must do real work.
        assertThat(checked).as("seed=%d", seed).isGreaterThan(GLOBS * SPELLINGS / 2);
        assertThat(deniedByRule).as("seed=%d denied by the rule", seed).isGreaterThan(checked / 4);
        assertThat(foldedMatches)
                .as("seed=%d matched through the fold only", seed)
                .isGreaterThan(checked / 8);
        assertThat(refused).as("seed=%d refused as ambiguous", seed).isGreaterThan(checked / 20);
    }

    @Test
    void aSpellingAndItsCanonicalFormAreDecidedAlike() {
        long seed = seed();
        Random rnd = new Random(seed);
        int allowed = 0;
        for (int n = 0; n < GLOBS; n++) {
            String allowGlob = randomGlob(rnd);
            String denyGlob = randomGlob(rnd);
            CompiledPolicy p = PolicyEngine.compile(policy().network(
                            "p",
                            List.of(BIN),
                            ep("api.example.com", 443).allow("GET", allowGlob).deny("*", denyGlob))
                    .build());
            for (int k = 0; k < 10; k++) {
                String spelling = spell(rnd, instantiate(rnd, rnd.nextBoolean() ? allowGlob : denyGlob));
                RequestTarget t = RequestTarget.parse(spelling);
                if (t.error() != null) {
                    continue;
                }
                Decision asSent = p.evaluate(l7(CONN, "GET", spelling));
                Decision forwarded = p.evaluate(l7(CONN, "GET", t.canonical()));
                String context = "seed=" + seed + " allow=" + allowGlob + " deny=" + denyGlob + " spelling=" + spelling
                        + " canonical=" + t.canonical();
                assertThat(forwarded.verdict()).as(context).isEqualTo(asSent.verdict());
                assertThat(forwarded.rule()).as(context).isEqualTo(asSent.rule());
                if (asSent.verdict() == Verdict.ALLOW) {
                    allowed++;
                    // An allow is decided on the canonical path alone: folding never widens it.
                    assertThat(PathGlob.compile(allowGlob).matches(t.path()))
                            .as(context)
                            .isTrue();
                }
            }
        }
        assertThat(allowed).as("seed=%d allowed spellings", seed).isGreaterThan(GLOBS / 4);
    }

    // ---- generators ---------------------------------------------------------------------------

    /** A deny glob of 1 to 4 segments mixing literals (any case), stars, classes and {@code ?}. */
    static String randomGlob(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int segments = 1 + rnd.nextInt(4);
        for (int i = 0; i < segments; i++) {
            sb.append('/');
            sb.append(
                    switch (rnd.nextInt(12)) {
                        case 0 -> "*";
                        case 1 -> "**";
                        case 2 -> "?";
                        case 3 -> "[a-c]";
                        case 4 -> "[A-C]";
                        case 5 -> "[!a]" + word(rnd);
                        case 6 -> word(rnd) + "*";
                        case 7 -> "*" + word(rnd);
                        case 8 -> word(rnd) + "?";
                        default -> word(rnd);
                    });
        }
        if (rnd.nextInt(4) == 0) {
            sb.append("/**");
        }
        return sb.toString();
    }

    private static String word(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int len = 1 + rnd.nextInt(5);
        for (int i = 0; i < len; i++) {
            sb.append(WORD_CHARS.charAt(rnd.nextInt(WORD_CHARS.length())));
            if (i + 1 < len && rnd.nextInt(8) == 0) {
                sb.append('.'); // dots inside names, never at their end
            }
        }
        return sb.toString();
    }

    /** A path the glob (very likely) matches: wildcards replaced by short clean text. */
    static String instantiate(Random rnd, String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                int n = rnd.nextInt(3);
                for (int s = 0; s < n; s++) {
                    sb.append(s == 0 ? "" : "/").append(random(rnd, "abAB1", 1 + rnd.nextInt(3)));
                }
                i++;
            } else if (c == '*') {
                sb.append(random(rnd, "abAB1", rnd.nextInt(4)));
            } else if (c == '?') {
                sb.append(random(rnd, "abAB", 1));
            } else if (c == '[') {
                int close = glob.indexOf(']', i);
                String cls = glob.substring(i + 1, close);
                sb.append(
                        switch (cls) {
                            case "a-c" -> random(rnd, "abc", 1);
                            case "A-C" -> random(rnd, "ABC", 1);
                            default -> random(rnd, "bBA", 1);
                        });
                i = close;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * One way of writing {@code path} that some server could read back as {@code path}; how much
     * of it is rewritten varies from nothing to most of it.
     */
    static String spell(Random rnd, String path) {
        double rate = new double[] {0, 0.05, 0.15, 0.4}[rnd.nextInt(4)];
        StringBuilder sb = new StringBuilder();
        String[] segments = path.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            sb.append('/');
            if (rnd.nextDouble() < rate / 2) {
                sb.append(pick(rnd, "/", ";x=1/", "%3B/", "%20/"));
            }
            for (int c = 0; c < segments[i].length(); c++) {
                char ch = segments[i].charAt(c);
                sb.append(rnd.nextDouble() < rate ? spellChar(rnd, ch) : String.valueOf(ch));
            }
            if (rnd.nextDouble() < rate) {
                sb.append(pick(rnd, ";jsessionid=A1B2", ";x=1", "%3Bx=%3D", "%EF%BC%9Bx", "%253Bx"));
            }
            if (rnd.nextDouble() < rate) {
                sb.append(pick(rnd, ".", "%2e", "%2E.", "%20", "%C2%A0", "%E3%80%80", "%EF%BC%8E", ".%20", "%2520"));
            }
            if (rnd.nextDouble() < rate / 8) {
                sb.append(pick(
                        rnd,
                        "/.",
                        "/..",
                        "/%2e%2e",
                        "/.%2e",
                        "/..;",
                        "/%252e%252e",
                        "%2F",
                        "%5C",
                        "\\",
                        "%00",
                        "%0A",
                        "%09",
                        "%252F",
                        "%EF%BC%8F",
                        "%3F",
                        "%23",
                        "#",
                        "%c0%af",
                        "%"));
            }
        }
        if (rnd.nextDouble() < rate) {
            sb.append('/');
        }
        if (rnd.nextInt(4) == 0) {
            sb.append(pick(rnd, "?q=1", "?", "?next=/x/../y", "?a=%2F"));
        }
        return sb.toString();
    }

    private static String spellChar(Random rnd, char c) {
        return switch (rnd.nextInt(7)) {
            case 0, 1 -> Character.isLetter(c) ? String.valueOf(flipCase(c)) : percent(rnd, c);
            case 2 -> percent(rnd, c);
            case 3 -> "%25" + percent(rnd, c).substring(1);
            case 4 -> fullWidth(c, false);
            case 5 -> fullWidth(c, true);
            default -> caseMappingLookalike(c);
        };
    }

    private static char flipCase(char c) {
        return Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
    }

    private static String percent(Random rnd, char c) {
        String hex = String.format("%02X", (int) c);
        return "%" + (rnd.nextBoolean() ? hex : hex.toLowerCase());
    }

    /** The full-width form (U+FF01..U+FF5E) of a printable ASCII character, raw or UTF-8 encoded. */
    private static String fullWidth(char c, boolean encoded) {
        if (c <= 0x20 || c >= 0x7f) {
            return String.valueOf(c);
        }
        String wide = String.valueOf((char) (c - 0x21 + 0xFF01));
        return encoded ? utf8Escapes(wide) : wide;
    }

    /** Characters whose case mapping or compatibility form is an ASCII letter: ı, İ, ſ, K. */
    private static String caseMappingLookalike(char c) {
        return switch (Character.toLowerCase(c)) {
            case 'i' -> c == 'i' ? "%C4%B1" : "%C4%B0";
            case 's' -> "%C5%BF";
            case 'k' -> "%E2%84%AA";
            default -> String.valueOf(c);
        };
    }

    private static String utf8Escapes(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            sb.append('%').append(String.format("%02X", b & 0xff));
        }
        return sb.toString();
    }

    private static String random(Random rnd, String alphabet, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String pick(Random rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }
}

package dev.openshell.policy.validate;

import dev.openshell.policy.model.PolicyLimits;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/** Rules for absolute paths and path globs (filesystem paths, binaries, L7 rule paths). */
final class PathRules {

    private PathRules() {}

    /**
     * Validates an absolute filesystem path or binary glob and returns its normal form ({@code //}
     * collapsed, trailing {@code /} removed except for the root), or null when invalid.
     */
    static String absolute(String path, String at, Problems problems, boolean glob) {
        if (path == null) {
            problems.add(at, "a path is required");
            return null;
        }
        if (!common(path, at, problems)) {
            return null;
        }
        if (!path.startsWith("/")) {
            problems.add(at, "`" + path + "` is not absolute; paths must start with `/`");
            return null;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                problems.add(at, "`" + path + "` contains a `..` segment; write the path without it");
                return null;
            }
        }
        if (glob && !globSyntax(path, at, problems)) {
            return null;
        }
        String normal = path.replaceAll("/{2,}", "/");
        if (normal.length() > 1 && normal.endsWith("/")) {
            normal = normal.substring(0, normal.length() - 1);
        }
        problems.canonical(at, path, normal);
        return normal;
    }

    /** Validates a list of absolute paths, returning the normal forms of the valid ones. */
    static List<String> absoluteList(List<String> paths, String at, Problems problems, boolean glob) {
        List<String> out = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            String normal = absolute(paths.get(i), at + "[" + i + "]", problems, glob);
            if (normal != null) {
                out.add(normal);
            }
        }
        return out;
    }

    /** Validates an L7 rule path glob (must start with {@code /}; kept as written). */
    static boolean requestPathGlob(String path, String at, Problems problems) {
        if (path == null) {
            problems.add(at, "a path is required");
            return false;
        }
        if (!common(path, at, problems)) {
            return false;
        }
        if (!path.startsWith("/")) {
            problems.add(at, "`" + path + "` must start with `/`, e.g. `/repos/**`");
            return false;
        }
        return globSyntax(path, at, problems);
    }

    /**
     * Checks what a deny rule's path glob must not contain, beyond {@link #requestPathGlob}: deny
     * rules match decoded, folded request paths (no escapes, no matrix parameters, NFKC, no
     * dot-segments), so such a spelling would make the rule miss the requests it names.
     */
    static void denyPathGlob(String path, String at, Problems problems) {
        String escape = firstEscape(path);
        String nfkc = Normalizer.normalize(path, Normalizer.Form.NFKC);
        if (escape != null) {
            char c = (char) Integer.parseInt(escape.substring(1), 16);
            String instead = c > 0x20 && c < 0x7f ? " (`" + c + "` for `" + escape + "`)" : "";
            problems.add(
                    at,
                    "`" + path + "` contains the percent-escape `" + escape
                            + "`; deny rules match the decoded path, so write the character itself" + instead);
        } else if (path.indexOf(';') >= 0) {
            problems.add(
                    at,
                    "`" + path + "` contains `;`: matrix parameters are removed from request paths before deny"
                            + " rules match, so deny the path without them");
        } else if (!nfkc.equals(path)) {
            problems.add(
                    at,
                    "`" + path + "` contains compatibility characters (such as full-width letters); requests are"
                            + " NFKC-normalised before deny rules match, so write `" + nfkc + "`");
        } else {
            for (String segment : path.split("/", -1)) {
                if (segment.equals(".") || segment.equals("..")) {
                    problems.add(
                            at,
                            "`" + path + "` contains a dot-segment; requests with dot-segments are refused, so this"
                                    + " rule would never match");
                    return;
                }
            }
        }
    }

    private static String firstEscape(String s) {
        for (int i = 0; i + 2 < s.length(); i++) {
            if (s.charAt(i) == '%' && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                return s.substring(i, i + 3);
            }
        }
        return null;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Validates a query value glob. */
    static boolean queryGlob(String glob, String at, Problems problems) {
        if (glob == null) {
            problems.add(at, "a glob is required");
            return false;
        }
        // An empty glob is legitimate here: it matches only an empty value (`?q=`).
        return (glob.isEmpty() || common(glob, at, problems)) && globSyntax(glob, at, problems);
    }

    /** Length and NUL checks shared by every path, host and glob string. */
    static boolean common(String s, String at, Problems problems) {
        if (s.length() > PolicyLimits.MAX_PATH_LENGTH) {
            problems.add(
                    at,
                    "value is " + s.length() + " characters long; at most " + PolicyLimits.MAX_PATH_LENGTH
                            + " are allowed");
            return false;
        }
        if (s.isEmpty()) {
            problems.add(at, "value is empty");
            return false;
        }
        if (s.indexOf('\0') >= 0) {
            problems.add(at, "value contains a NUL character");
            return false;
        }
        return true;
    }

    /** Rejects an unterminated {@code [..]} class and a trailing {@code \}. */
    private static boolean globSyntax(String glob, String at, Problems problems) {
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\') {
                if (i + 1 == glob.length()) {
                    problems.add(at, "`" + glob + "` ends with a lone `\\`; escape it as `\\\\`");
                    return false;
                }
                i++;
            } else if (c == '[') {
                int j = i + 1;
                if (j < glob.length() && (glob.charAt(j) == '!' || glob.charAt(j) == '^')) {
                    j++;
                }
                if (j < glob.length() && glob.charAt(j) == ']') {
                    j++; // a leading `]` is a literal member of the class
                }
                while (j < glob.length() && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= glob.length()) {
                    problems.add(at, "`" + glob + "` has a `[` without a closing `]`; escape a literal `[` as `\\[`");
                    return false;
                }
                i = j;
            }
        }
        return true;
    }
}

package dev.openshell.cli.files;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The patterns of one {@code .gitignore}, with git's rules: blank lines and {@code #} comments
 * skipped, {@code \#} and {@code \!} escapes, trailing spaces dropped unless escaped, {@code !}
 * re-includes, a trailing {@code /} matches directories only, a pattern with a {@code /} at its
 * start or in its middle is anchored to the file's directory (else it matches a name at any
 * depth), {@code *} and {@code ?} never match {@code /}, {@code **} matches across directories,
 * {@code [a-z]} and {@code [!a-z]} are classes.
 *
 * @param base the directory of the file, relative to the upload's root ({@code ""} for the root)
 */
public record GitIgnoreFile(String base, List<Rule> rules) {

    /** One pattern line. */
    public record Rule(Pattern pattern, boolean negated, boolean directoryOnly, String source) {}

    public GitIgnoreFile {
        rules = List.copyOf(rules);
    }

    public static GitIgnoreFile parse(String base, String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\r?\n", -1)) {
            Rule rule = rule(raw);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return new GitIgnoreFile(base, rules);
    }

    /**
     * Whether this file decides about {@code path} (relative to the upload's root): null when no
     * pattern matches, else whether the last matching one ignores it.
     */
    public Boolean decide(String path, boolean directory) {
        String relative;
        if (base.isEmpty()) {
            relative = path;
        } else if (path.startsWith(base + "/")) {
            relative = path.substring(base.length() + 1);
        } else {
            return null;
        }
        Boolean decision = null;
        for (Rule r : rules) {
            if ((!r.directoryOnly() || directory)
                    && r.pattern().matcher(relative).matches()) {
                decision = !r.negated();
            }
        }
        return decision;
    }

    static Rule rule(String raw) {
        String line = stripTrailingSpaces(raw);
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        boolean negated = false;
        if (line.startsWith("!")) {
            negated = true;
            line = line.substring(1);
        } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
            line = line.substring(1);
        }
        boolean directoryOnly = false;
        while (line.endsWith("/") && !line.endsWith("\\/")) {
            directoryOnly = true;
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            return null;
        }
        boolean anchored = line.contains("/");
        if (line.startsWith("/")) {
            line = line.substring(1);
        }
        String regex = (anchored ? "" : "(?:.*/)?") + translate(line);
        return new Rule(Pattern.compile(regex, Pattern.DOTALL), negated, directoryOnly, raw);
    }

    private static String stripTrailingSpaces(String line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ' && !(end > 1 && line.charAt(end - 2) == '\\')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** A glob (git's wildmatch with {@code WM_PATHNAME}) as a regular expression. */
    static String translate(String glob) {
        StringBuilder re = new StringBuilder();
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
                boolean atSegmentStart = i == 0 || glob.charAt(i - 1) == '/';
                if (doubleStar && atSegmentStart && (i + 2 == n || glob.charAt(i + 2) == '/')) {
                    if (i + 2 == n) {
                        re.append(".*"); // "a/**": everything inside
                    } else {
                        re.append("(?:.*/)?"); // "**/b" or "a/**/b": zero or more directories
                        i++; // the '/' after ** is part of the group
                    }
                    i++;
                } else {
                    while (i + 1 < n && glob.charAt(i + 1) == '*') {
                        i++;
                    }
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int close = classEnd(glob, i);
                if (close < 0) {
                    re.append("\\[");
                } else {
                    re.append(bracket(glob.substring(i + 1, close)));
                    i = close;
                }
            } else if (c == '\\' && i + 1 < n) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    private static int classEnd(String glob, int open) {
        int i = open + 1;
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == ']') {
            i++;
        }
        while (i < glob.length() && glob.charAt(i) != ']') {
            i++;
        }
        return i < glob.length() ? i : -1;
    }

    private static String bracket(String body) {
        StringBuilder b = new StringBuilder("[");
        int i = 0;
        boolean negated = !body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^');
        if (negated) {
            b.append('^');
            i = 1;
        }
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '/') {
                continue; // a class never matches '/'
            }
            if (c == '\\' || c == '[' || c == ']' || c == '&' || c == '^') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append(negated ? "/]" : "]").toString();
    }
}

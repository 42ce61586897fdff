package dev.openshell.cli.remote;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting: every value goes to the remote shell as one word, whatever it holds. */
public final class ShellWords {

    private ShellWords() {}

    /** {@code value} in single quotes, a single quote inside written as {@code '\''}. */
    public static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** The words quoted and joined with spaces. */
    public static String join(List<String> words) {
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}

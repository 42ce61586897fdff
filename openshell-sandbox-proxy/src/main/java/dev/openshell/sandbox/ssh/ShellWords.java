package dev.openshell.sandbox.ssh;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting. An SSH {@code exec} request carries one string that the server runs with
 * {@code sh -c}, as OpenSSH does; an argument vector must therefore be quoted so that the shell
 * splits it back into exactly the same words.
 */
public final class ShellWords {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private ShellWords() {}

    /** {@code word} as one shell word: unchanged when safe, otherwise single-quoted. */
    public static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** The command line whose words are exactly {@code words}. */
    public static String join(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        return words.stream().map(ShellWords::quote).collect(Collectors.joining(" "));
    }
}

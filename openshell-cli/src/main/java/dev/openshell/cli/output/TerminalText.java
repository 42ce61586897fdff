package dev.openshell.cli.output;

import dev.openshell.api.SafeText;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A line of output that came from a sandbox (an agent's log, a log line's text) made safe for a
 * terminal: like {@link SafeText}, escape sequences and other control characters are shown
 * escaped, so a program in a sandbox cannot move the cursor, retitle or recolour the user's
 * terminal; tabs are kept.
 */
public final class TerminalText {

    private TerminalText() {}

    public static String line(String text) {
        if (text == null) {
            return "";
        }
        return Arrays.stream(text.split("\t", -1))
                .map(part -> SafeText.oneLine(part, Integer.MAX_VALUE - 16))
                .collect(Collectors.joining("\t"));
    }
}

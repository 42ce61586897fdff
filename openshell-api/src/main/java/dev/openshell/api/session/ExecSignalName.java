package dev.openshell.api.session;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The signals a streaming-exec client may deliver to its command ({@link SessionMessage.ExecSignal}),
 * with their Linux numbers. A window change is not among them: it is an {@link
 * SessionMessage.ExecResize}, which also resizes the terminal.
 */
public enum ExecSignalName {
    INT(2),
    TERM(15),
    HUP(1),
    QUIT(3),
    KILL(9);

    private final int number;

    ExecSignalName(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** {@code INT}, {@code int} or {@code SIGINT}; empty for anything else. */
    public static Optional<ExecSignalName> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String bare = name.toUpperCase(Locale.ROOT);
        String plain = bare.startsWith("SIG") ? bare.substring(3) : bare;
        return Arrays.stream(values()).filter(s -> s.name().equals(plain)).findFirst();
    }

    /** For an error message: the names accepted. */
    public static String accepted() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }
}

package dev.openshell.api.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.openshell.api.SafeText;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What an API token may do, spelled {@code resource:action} ({@code sandbox:read}). A {@code
 * write} scope includes the {@code read} scope of the same resource; {@code admin} includes
 * everything.
 */
public enum Scope {
    /** Get and list sandboxes, read their logs. */
    SANDBOX_READ,
    /** Create, delete, stop and start sandboxes. */
    SANDBOX_WRITE,
    /** Run commands in sandboxes: exec, connect, file transfer, port forwards. */
    SANDBOX_EXEC,
    POLICY_READ,
    POLICY_WRITE,
    PROVIDER_READ,
    PROVIDER_WRITE,
    INFERENCE_READ,
    INFERENCE_WRITE,
    DECISION_READ,
    /** Create, list and revoke API tokens. */
    TOKEN_ADMIN,
    /** Everything. */
    ADMIN;

    /** {@code sandbox:read}; {@code admin}. */
    @JsonValue
    public String wire() {
        String lower = name().toLowerCase(Locale.ROOT);
        int underscore = lower.indexOf('_');
        return underscore < 0 ? lower : lower.substring(0, underscore) + ":" + lower.substring(underscore + 1);
    }

    /** Whether a token with this scope may do what {@code required} allows. */
    public boolean covers(Scope required) {
        if (this == ADMIN || this == required) {
            return true;
        }
        String[] mine = wire().split(":");
        String[] theirs = required.wire().split(":");
        return mine.length == 2
                && theirs.length == 2
                && mine[0].equals(theirs[0])
                && mine[1].equals("write")
                && theirs[1].equals("read");
    }

    /** The scope spelled {@code text}, if there is one. */
    public static Optional<Scope> fromWire(String text) {
        return Stream.of(values()).filter(s -> s.wire().equals(text)).findFirst();
    }

    /** Parses {@code --scope} input; an unknown scope is an {@link IllegalArgumentException} listing the known ones. */
    public static Scope parse(String text) {
        return fromWire(text)
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown scope " + SafeText.quote(text) + "; known scopes: "
                                + Stream.of(values()).map(Scope::wire).collect(Collectors.joining(", "))));
    }
}

package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;

/**
 * One line of a sandbox's log ({@code GET /api/v1/sandboxes/{name}/logs}).
 *
 * @param stream for {@link Source#AGENT}: which output it was written to; absent otherwise
 * @param text the line, without its line break
 */
public record LogLine(Instant time, Source source, Stream stream, String text) {

    /** Who wrote the line. */
    public enum Source {
        AGENT("agent"),
        SUPERVISOR("supervisor"),
        PROXY("proxy"),
        GATEWAY("gateway");

        private final String wire;

        Source(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }

    /** The agent's output stream. */
    public enum Stream {
        STDOUT("stdout"),
        STDERR("stderr");

        private final String wire;

        Stream(String wire) {
            this.wire = wire;
        }

        @JsonValue
        public String wire() {
            return wire;
        }
    }
}

package dev.openshell.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One line of a sandbox's log ({@code GET /api/v1/sandboxes/{name}/logs}).
 *
 * @param stream for {@link Source#AGENT}: which output it was written to; absent otherwise
 * @param text the line, without its line break
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
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

package dev.openshell.api.json;

import dev.openshell.api.SafeText;
import dev.openshell.api.validation.DurationText;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;

/**
 * Durations in JSON as people write them ({@code "30s"}, {@code "1h30m"}), see {@link
 * DurationText}. The records name these on their {@code Duration} fields, so any Jackson mapper
 * (a server framework's own) reads and writes them the same way as {@link ApiJson}.
 */
public final class DurationJson {

    private DurationJson() {}

    /** Writes {@link DurationText#format}. */
    public static final class Writer extends ValueSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeString(DurationText.format(value));
        }
    }

    /** Reads {@code 30s}-style text, or ISO-8601 ({@code PT30S}) within the same bounds. */
    public static final class Reader extends ValueDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return ctxt.reportInputMismatch(
                        Duration.class, "expected a duration such as \"30s\", \"5m\" or \"1h30m\"");
            }
            String text = p.getString();
            try {
                if (text.startsWith("P") || text.startsWith("-P")) {
                    Duration d = Duration.parse(text);
                    if (d.isNegative() || d.isZero() || d.compareTo(DurationText.MAX) > 0) {
                        throw new IllegalArgumentException("duration " + SafeText.quote(text)
                                + ": must be longer than zero and at most " + DurationText.format(DurationText.MAX));
                    }
                    return d;
                }
                return DurationText.parse(text);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // "%s": the message quotes user input, which may hold a '%'
                return ctxt.reportInputMismatch(Duration.class, "%s", e.getMessage());
            }
        }
    }
}

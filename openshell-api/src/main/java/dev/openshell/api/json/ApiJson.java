package dev.openshell.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.validation.DurationText;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The two JSON mappers of the API. Both write the same JSON: snake_case names, ISO-8601 instants
 * ({@code 2026-01-01T12:00:00Z}), durations as {@code 30s}/{@code 1h30m} ({@link DurationText}),
 * no {@code null} fields. They differ in how they read:
 *
 * <ul>
 *   <li>{@link #strict()} reads what clients send the gateway: an unknown field, a duplicate key,
 *       a number where a string belongs (or the reverse), an enum by index, trailing data or an
 *       unknown enum value are errors, so a typo in a CI script is a 400 rather than a setting
 *       silently ignored. Nesting depth and string length are bounded.
 *   <li>{@link #lenient()} reads what the gateway answers: unknown fields are ignored and unknown
 *       enum values read as {@code null}, so a client keeps working against a newer gateway.
 * </ul>
 *
 * Both are immutable and thread-safe; share them.
 */
public final class ApiJson {

    /** The longest string a request may carry (a policy YAML, an exec's stdin). */
    public static final int MAX_REQUEST_STRING = 4 * 1024 * 1024;

    /** The deepest nesting a request may have. */
    public static final int MAX_REQUEST_DEPTH = 64;

    private static final JsonMapper STRICT = strictBuilder().build();
    private static final JsonMapper LENIENT = lenientBuilder().build();

    private ApiJson() {}

    /** The mapper for reading requests (and for writing anything). */
    public static JsonMapper strict() {
        return STRICT;
    }

    /** The mapper for reading responses. */
    public static JsonMapper lenient() {
        return LENIENT;
    }

    /**
     * Reads a request body with {@link #strict()}; any failure is an {@link ApiException} with the
     * problem {@link JsonProblems} makes of it (an empty body is {@code bad_request}).
     */
    public static <T> T readRequest(byte[] body, Class<T> type) {
        T value;
        try {
            value = STRICT.readValue(body, type);
        } catch (JacksonException e) {
            throw new ApiException(JsonProblems.of(e), e);
        }
        if (value == null) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "the request body is empty or null");
        }
        return value;
    }

    /** {@link #readRequest(byte[], Class)} for text. */
    public static <T> T readRequest(String body, Class<T> type) {
        return readRequest(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    }

    /** The strict configuration, for a server framework that builds its own mapper from it. */
    public static JsonMapper.Builder strictBuilder() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_REQUEST_DEPTH)
                        .maxStringLength(MAX_REQUEST_STRING)
                        .build())
                .build();
        return common(JsonMapper.builder(factory))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);
    }

    /** The lenient configuration. */
    public static JsonMapper.Builder lenientBuilder() {
        return common(JsonMapper.builder())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
                .enable(EnumFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL);
    }

    private static JsonMapper.Builder common(JsonMapper.Builder builder) {
        SimpleModule durations = new SimpleModule("openshell-durations")
                .addSerializer(Duration.class, new DurationJson.Writer())
                .addDeserializer(Duration.class, new DurationJson.Reader());
        return builder.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .changeDefaultPropertyInclusion(incl -> incl.withValueInclusion(JsonInclude.Include.NON_NULL)
                        .withContentInclusion(JsonInclude.Include.NON_NULL))
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .addModule(durations);
    }
}

package dev.openshell.gateway.db;

import dev.openshell.api.json.ApiJson;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;

/**
 * JSON columns: written and read with the API's mapper (the stored shapes are wire records).
 * Readers are made once per type: resolving a generic type on every row was a measurable share of
 * a list's CPU.
 */
public final class Json {

    private static final Map<Type, ObjectReader> READERS = new ConcurrentHashMap<>();

    private Json() {}

    public static String write(Object value) {
        return ApiJson.strict().writeValueAsString(value);
    }

    public static <T> T read(String text, Class<T> type) {
        return text == null ? null : reader(type).readValue(text);
    }

    public static <T> T read(String text, TypeReference<T> type) {
        return text == null ? null : reader(type.getType()).readValue(text);
    }

    private static ObjectReader reader(Type type) {
        return READERS.computeIfAbsent(
                type,
                t -> ApiJson.lenient()
                        .readerFor(ApiJson.lenient().getTypeFactory().constructType(t)));
    }
}

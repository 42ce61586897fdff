package dev.openshell.gateway.db;

import dev.openshell.api.ApiJson;
import tools.jackson.core.type.TypeReference;

/** JSON columns: written and read with the API's mapper (the stored shapes are wire records). */
public final class Json {

    private Json() {}

    public static String write(Object value) {
        return ApiJson.strict().writeValueAsString(value);
    }

    public static <T> T read(String text, Class<T> type) {
        return text == null ? null : ApiJson.lenient().readValue(text, type);
    }

    public static <T> T read(String text, TypeReference<T> type) {
        return text == null ? null : ApiJson.lenient().readValue(text, type);
    }
}

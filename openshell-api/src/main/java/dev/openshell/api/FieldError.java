package dev.openshell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One invalid field of a request, as a problem's {@code errors} list carries it.
 *
 * @param field where the value is, in the request's own (snake_case) spelling: {@code name},
 *     {@code labels.team}, {@code operations[2].port}
 * @param message what is wrong with it, one line
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}

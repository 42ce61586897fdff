package dev.openshell.gateway.web;

import dev.openshell.api.ApiException;
import dev.openshell.api.validation.ResourceNames;

/** Names taken from a path: DNS labels, or a 400 naming the field (so {@code ..}, slashes and NULs never reach a query). */
public final class Names {

    private Names() {}

    public static String require(String field, String name) {
        ResourceNames.violation(name).ifPresent(why -> {
            throw ApiException.invalid(field, why);
        });
        return name;
    }
}

package dev.openshell.gateway.web;

import dev.openshell.api.ApiException;
import dev.openshell.gateway.config.GatewayProperties;

/**
 * The paging part of a list request, checked: {@code page_size} 1 to the maximum (default from
 * the configuration) and the position a {@code page_token} names (null: from the start).
 */
public record PageRequest(int size, String after) {

    /** Parses {@code page_size}/{@code page_token} for the list named {@code list} (which includes its filter). */
    public static PageRequest of(
            Integer pageSize, String pageToken, String list, PageTokens tokens, GatewayProperties.Limits limits) {
        int size = pageSize == null ? limits.defaultPageSize() : pageSize;
        if (size < 1 || size > limits.maxPageSize()) {
            throw ApiException.invalid("page_size", size + " is out of range 1 to " + limits.maxPageSize());
        }
        String after = pageToken == null || pageToken.isEmpty() ? null : tokens.decode(list, pageToken);
        return new PageRequest(size, after);
    }
}

package dev.openshell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One page of a list: {@code items}, and {@code next_page_token} to pass as {@code page_token}
 * for the next page (absent on the last page). Tokens are opaque.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String nextPageToken) {

    /** The query parameter carrying a page token. */
    public static final String PAGE_TOKEN = "page_token";

    /** The query parameter asking for a page size. */
    public static final String PAGE_SIZE = "page_size";

    public Page {
        items = items == null ? List.of() : List.copyOf(items);
        nextPageToken = nextPageToken == null || nextPageToken.isEmpty() ? null : nextPageToken;
    }

    /** The last (or only) page. */
    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, null);
    }

    /** Whether another page follows. */
    public boolean hasNext() {
        return nextPageToken != null;
    }
}

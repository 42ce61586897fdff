package dev.openshell.api.client;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Page;
import java.util.HashSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Walks a paged list lazily. A gateway that hands out a token twice would loop forever: that is an error. */
final class Pages {

    private Pages() {}

    static <T> Stream<T> stream(Function<String, Page<T>> fetch) {
        Iterator<T> items = new Iterator<>() {
            private final Set<String> seenTokens = new HashSet<>();
            private Page<T> page;
            private int index;

            @Override
            public boolean hasNext() {
                if (page == null) {
                    page = fetch.apply(null);
                }
                while (index >= page.items().size()) {
                    if (!page.hasNext()) {
                        return false;
                    }
                    String token = page.nextPageToken();
                    if (!seenTokens.add(token)) {
                        throw new ApiException(
                                ErrorCode.INTERNAL, "the gateway returned the same page token twice (a paging loop)");
                    }
                    page = fetch.apply(token);
                    index = 0;
                }
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.items().get(index++);
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED), false);
    }
}

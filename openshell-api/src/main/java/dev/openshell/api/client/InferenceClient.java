package dev.openshell.api.client;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.inference.InferenceRoute;
import java.util.Map;
import java.util.stream.Stream;

/** The inference route calls of a {@link GatewayClient} ({@code openshell inference set/get}). */
public final class InferenceClient {

    private final GatewayClient client;

    InferenceClient(GatewayClient client) {
        this.client = client;
    }

    /** Creates or replaces the route named in {@code route}. */
    public InferenceRoute put(InferenceRoute route, RequestOptions options) {
        return client.put(ApiPaths.inferenceRoute(route.name()), route, InferenceRoute.class, options);
    }

    public InferenceRoute get(String name) {
        return client.get(ApiPaths.inferenceRoute(name), Map.of(), InferenceRoute.class);
    }

    public Stream<InferenceRoute> list() {
        return client.listAll(ApiPaths.INFERENCE_ROUTES, Map.of(), InferenceRoute.class);
    }

    public DeleteResult delete(String name) {
        return client.delete(ApiPaths.inferenceRoute(name), RequestOptions.NONE);
    }
}

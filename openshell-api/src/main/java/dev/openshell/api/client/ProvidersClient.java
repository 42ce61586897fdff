package dev.openshell.api.client;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.provider.Provider;
import dev.openshell.api.provider.ProviderRequest;
import java.util.Map;
import java.util.stream.Stream;

/** The provider calls of a {@link GatewayClient}. Answers never carry credential values. */
public final class ProvidersClient {

    private final GatewayClient client;

    ProvidersClient(GatewayClient client) {
        this.client = client;
    }

    public Provider create(ProviderRequest request, RequestOptions options) {
        return client.post(ApiPaths.PROVIDERS, request, Provider.class, options);
    }

    /** Replaces the provider named in {@code request}, credentials included. */
    public Provider replace(ProviderRequest request, RequestOptions options) {
        return client.put(ApiPaths.provider(request.name()), request, Provider.class, options);
    }

    public Provider get(String name) {
        return client.get(ApiPaths.provider(name), Map.of(), Provider.class);
    }

    public Stream<Provider> list() {
        return client.listAll(ApiPaths.PROVIDERS, Map.of(), Provider.class);
    }

    public DeleteResult delete(String name) {
        return client.delete(ApiPaths.provider(name), RequestOptions.NONE);
    }
}

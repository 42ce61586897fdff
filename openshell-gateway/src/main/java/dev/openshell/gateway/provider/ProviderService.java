package dev.openshell.gateway.provider;

import dev.openshell.api.ApiException;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Page;
import dev.openshell.api.provider.Provider;
import dev.openshell.api.provider.ProviderRequest;
import dev.openshell.gateway.db.Json;
import dev.openshell.gateway.db.Sealer;
import dev.openshell.gateway.web.Preconditions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;

/**
 * Providers: named credential bundles. Credential values are write-only: sealed (AES-GCM) before
 * they reach the database, never in an answer or a log line; only {@link #credentials} opens them,
 * for a sandbox's workload.
 */
@Service
public class ProviderService {

    private static final String PURPOSE = "providers.credentials";
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {};

    private final ProviderRepository providers;
    private final Sealer sealer;
    private final Clock clock;

    ProviderService(ProviderRepository providers, Sealer sealer, Clock clock) {
        this.providers = providers;
        this.sealer = sealer;
        this.clock = clock;
    }

    public Provider create(ProviderRequest request) {
        request.validate();
        Instant now = clock.instant();
        Provider provider = shape(request, now, now, "1");
        if (!providers.insert(provider, seal(request))) {
            throw new ApiException(ErrorCode.ALREADY_EXISTS, "a provider named " + request.name() + " exists");
        }
        return provider;
    }

    public Provider get(String name) {
        return row(name).provider();
    }

    public boolean exists(String name) {
        return providers.byName(name).isPresent();
    }

    public Page<Provider> list(String after, int size, Function<String, String> nextToken) {
        List<ProviderRepository.Row> rows = providers.page(after, size + 1);
        boolean more = rows.size() > size;
        List<ProviderRepository.Row> page = more ? rows.subList(0, size) : rows;
        return new Page<>(
                page.stream().map(ProviderRepository.Row::provider).toList(),
                more ? nextToken.apply(page.getLast().provider().name()) : null);
    }

    /** Replaces a provider (credentials included), honouring {@code If-Match}. */
    public Provider replace(String name, ProviderRequest request, String ifMatch) {
        request.validate();
        if (!name.equals(request.name())) {
            throw ApiException.invalid("name", "'" + request.name() + "' differs from the path's " + name);
        }
        Provider current = get(name);
        long version = Preconditions.check(ifMatch, current.resourceVersion());
        Instant now = clock.instant();
        Provider next = shape(request, current.createdAt(), now, Long.toString(version + 1));
        if (!providers.replace(next, seal(request), version, now)) {
            throw Preconditions.conflict("provider " + name);
        }
        return next;
    }

    public DeleteResult delete(String name) {
        return providers.delete(name) ? DeleteResult.deleted(name) : DeleteResult.alreadyAbsent(name);
    }

    /** The opened credentials of {@code name}, for handing to a workload; never for an answer. */
    public Map<String, String> credentials(String name) {
        return Json.read(sealer.open(row(name).credentialsSealed(), PURPOSE), MAP);
    }

    private ProviderRepository.Row row(String name) {
        return providers
                .byName(name)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no provider named " + name));
    }

    private String seal(ProviderRequest request) {
        return sealer.seal(Json.write(new TreeMap<>(request.credentials())), PURPOSE);
    }

    private static Provider shape(ProviderRequest r, Instant created, Instant updated, String version) {
        return new Provider(
                r.name(),
                r.type(),
                r.baseUrl(),
                r.protocol(),
                List.copyOf(new TreeMap<>(r.credentials()).keySet()),
                created,
                updated,
                version);
    }
}

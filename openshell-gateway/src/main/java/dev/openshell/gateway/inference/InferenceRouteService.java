package dev.openshell.gateway.inference;

import dev.openshell.api.ApiException;
import dev.openshell.api.DeleteResult;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Page;
import dev.openshell.api.inference.InferenceRoute;
import dev.openshell.gateway.db.Json;
import dev.openshell.gateway.provider.ProviderService;
import dev.openshell.gateway.web.Preconditions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Inference routes, stored for the privacy router: get, list, put (create or replace), delete. */
@Service
public class InferenceRouteService {

    /** A stored route and its version (also in the route's {@code resource_version}). */
    public record Versioned(InferenceRoute route, String resourceVersion) {
        public Versioned {
            route = route.withResourceVersion(resourceVersion);
        }
    }

    private final JdbcClient db;
    private final ProviderService providers;
    private final Clock clock;

    InferenceRouteService(JdbcClient db, ProviderService providers, Clock clock) {
        this.db = db;
        this.providers = providers;
        this.clock = clock;
    }

    public Versioned get(String name) {
        return find(name).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no inference route named " + name));
    }

    public Page<InferenceRoute> list(String after, int size, Function<String, String> nextToken) {
        List<InferenceRoute> rows = db.sql(
                        "SELECT route, resource_version FROM inference_routes WHERE name > ? ORDER BY name LIMIT ?")
                .params(after == null ? "" : after, size + 1)
                .query((rs, row) -> Json.read(rs.getString("route"), InferenceRoute.class)
                        .withResourceVersion(Long.toString(rs.getLong("resource_version"))))
                .list();
        boolean more = rows.size() > size;
        List<InferenceRoute> page = more ? rows.subList(0, size) : rows;
        return new Page<>(page, more ? nextToken.apply(page.getLast().name()) : null);
    }

    /** Creates or replaces the route {@code name}; {@code If-Match} applies to a replace. */
    public Versioned put(String name, InferenceRoute given, String ifMatch) {
        given.validate();
        InferenceRoute route = given.withResourceVersion(null); // the stored form: the version lives in its column
        if (!name.equals(route.name())) {
            throw ApiException.invalid("name", "'" + route.name() + "' differs from the path's " + name);
        }
        if (!providers.exists(route.provider())) {
            throw ApiException.invalid("provider", "no provider named " + route.provider() + "; create it first");
        }
        long now = clock.instant().toEpochMilli();
        Optional<Versioned> current = find(name);
        if (current.isEmpty()) {
            if (ifMatch != null && !ifMatch.strip().equals("*")) {
                throw new ApiException(ErrorCode.PRECONDITION_FAILED, "no inference route named " + name + " to match");
            }
            int n = db.sql("""
                    INSERT INTO inference_routes (name, route, updated_at, resource_version) VALUES (?, ?, ?, 1)
                    ON CONFLICT DO NOTHING""").params(name, Json.write(route), now).update();
            if (n == 0) {
                throw Preconditions.conflict("inference route " + name);
            }
            return new Versioned(route, "1");
        }
        long version = Preconditions.check(ifMatch, current.get().resourceVersion());
        int n = db.sql("""
                UPDATE inference_routes SET route = ?, updated_at = ?, resource_version = ?
                WHERE name = ? AND resource_version = ?""")
                .params(Json.write(route), now, version + 1, name, version)
                .update();
        if (n == 0) {
            throw Preconditions.conflict("inference route " + name);
        }
        return new Versioned(route, Long.toString(version + 1));
    }

    public DeleteResult delete(String name) {
        return db.sql("DELETE FROM inference_routes WHERE name = ?").param(name).update() == 1
                ? DeleteResult.deleted(name)
                : DeleteResult.alreadyAbsent(name);
    }

    private Optional<Versioned> find(String name) {
        return db.sql("SELECT route, resource_version FROM inference_routes WHERE name = ?")
                .param(name)
                .query((rs, row) -> new Versioned(
                        Json.read(rs.getString("route"), InferenceRoute.class),
                        Long.toString(rs.getLong("resource_version"))))
                .optional();
    }
}

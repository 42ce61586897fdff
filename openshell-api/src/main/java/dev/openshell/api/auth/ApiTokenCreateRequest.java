package dev.openshell.api.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.json.DurationJson;
import dev.openshell.api.validation.DurationText;
import dev.openshell.api.validation.ResourceNames;
import dev.openshell.api.validation.Violations;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * Asks for a new API token ({@code POST /api/v1/tokens}; {@code openshell gateway token create
 * --scope S... --expires 30d}).
 *
 * @param name a label for people (a DNS label); optional
 * @param expiresIn how long it is valid, at most {@link #MAX_LIFETIME}; absent: {@link #DEFAULT_LIFETIME}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiTokenCreateRequest(
        String name,
        List<Scope> scopes,

        @JsonSerialize(using = DurationJson.Writer.class) @JsonDeserialize(using = DurationJson.Reader.class)
        Duration expiresIn) {

    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(30);
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);

    public ApiTokenCreateRequest {
        if (scopes != null && scopes.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("scopes holds a null");
        }
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** Throws a {@code validation_failed} problem listing every invalid field. */
    public void validate() {
        Violations v = new Violations();
        if (name != null) {
            v.check("name", ResourceNames.violation(name));
        }
        if (scopes.isEmpty()) {
            v.add("scopes", "name at least one scope");
        }
        Set<Scope> seen = EnumSet.noneOf(Scope.class);
        for (int i = 0; i < scopes.size(); i++) {
            if (!seen.add(scopes.get(i))) {
                v.add("scopes[" + i + "]", "'" + scopes.get(i).wire() + "' is listed twice");
            }
        }
        if (expiresIn != null && expiresIn.compareTo(MAX_LIFETIME) > 0) {
            v.add(
                    "expires_in",
                    DurationText.format(expiresIn) + " is longer than the maximum "
                            + DurationText.format(MAX_LIFETIME));
        }
        v.throwIfAny();
    }

    /** The lifetime in effect. */
    public Duration effectiveLifetime() {
        return expiresIn == null ? DEFAULT_LIFETIME : expiresIn;
    }
}

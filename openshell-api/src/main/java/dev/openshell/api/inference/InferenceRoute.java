package dev.openshell.api.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.json.DurationJson;
import dev.openshell.api.validation.ResourceNames;
import dev.openshell.api.validation.TextRules;
import dev.openshell.api.validation.Violations;
import java.math.BigDecimal;
import java.time.Duration;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A way to serve {@code inference.local}: a provider (base URL, protocol, credential) and the
 * model to ask it for ({@code PUT /api/v1/inference/routes/{name}}; {@code openshell inference
 * set}). Routes change at runtime without recreating sandboxes. Holds no secrets, so it is both the
 * request and the read shape.
 *
 * @param model the model name the router writes into each request
 * @param timeout how long one upstream call may take; absent: the router's default
 * @param privacy absent: {@link Privacy#ANY}
 * @param resourceVersion set by the gateway in answers; ignored in a request (send {@code
 *     If-Match} to make a write conditional)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceRoute(
        String name,
        String provider,
        String model,

        @JsonSerialize(using = DurationJson.Writer.class) @JsonDeserialize(using = DurationJson.Reader.class)
        Duration timeout,

        Privacy privacy,
        InferenceCost cost,
        String resourceVersion) {

    public static final int MAX_MODEL_LENGTH = 256;
    private static final BigDecimal MAX_PRICE = new BigDecimal("1000000");

    /** A route as a request carries it (no version). */
    public InferenceRoute(
            String name, String provider, String model, Duration timeout, Privacy privacy, InferenceCost cost) {
        this(name, provider, model, timeout, privacy, cost, null);
    }

    /** The same route at {@code version}. */
    public InferenceRoute withResourceVersion(String version) {
        return new InferenceRoute(name, provider, model, timeout, privacy, cost, version);
    }

    /** Throws a {@code validation_failed} problem listing every invalid field. */
    public void validate() {
        Violations v = new Violations();
        v.check("name", ResourceNames.violation(name));
        v.check("provider", ResourceNames.violation(provider));
        if (model == null) {
            v.add("model", "is required");
        } else {
            TextRules.checkLine(v, "model", model, MAX_MODEL_LENGTH);
        }
        if (cost != null) {
            price(v, "cost.input_per_million_tokens", cost.inputPerMillionTokens());
            price(v, "cost.output_per_million_tokens", cost.outputPerMillionTokens());
        }
        v.throwIfAny();
    }

    /** The privacy in effect. */
    public Privacy effectivePrivacy() {
        return privacy == null ? Privacy.ANY : privacy;
    }

    // Never toPlainString(): "1e999999999" would expand to a billion digits.
    private static void price(Violations v, String field, BigDecimal price) {
        if (price != null && (price.signum() < 0 || price.compareTo(MAX_PRICE) > 0)) {
            v.add(field, price + " is out of range 0 to " + MAX_PRICE);
        }
    }
}

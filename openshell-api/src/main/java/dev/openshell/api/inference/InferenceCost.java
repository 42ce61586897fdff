package dev.openshell.api.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What a route costs, in any one currency per gateway; the router prefers the cheapest healthy
 * route. Absent prices count as zero. Prices are kept without trailing zeros ({@code 2.50} is
 * {@code 2.5}), so equal prices are equal records.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceCost(BigDecimal inputPerMillionTokens, BigDecimal outputPerMillionTokens) {

    public InferenceCost {
        inputPerMillionTokens = normal(inputPerMillionTokens);
        outputPerMillionTokens = normal(outputPerMillionTokens);
    }

    private static BigDecimal normal(BigDecimal price) {
        if (price == null) {
            return null;
        }
        BigDecimal stripped = price.stripTrailingZeros();
        // 10 strips to 1E+1; give it back its digits, but never expand a hostile 1E+999999999.
        return stripped.scale() < 0 && stripped.scale() >= -12 ? stripped.setScale(0) : stripped;
    }
}

package dev.openshell.api.inference;

import java.math.BigDecimal;

/**
 * What a route costs, in any one currency per gateway; the router prefers the cheapest healthy
 * route. Absent prices count as zero.
 */
public record InferenceCost(BigDecimal inputPerMillionTokens, BigDecimal outputPerMillionTokens) {}

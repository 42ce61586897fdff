package dev.openshell.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What a gateway says about itself ({@code GET /api/v1/gateway}; {@code openshell gateway info}).
 *
 * @param version the gateway's release
 * @param driver the compute driver it was started with ({@code local}, {@code docker}, ...)
 * @param driverAvailable whether that driver is part of this gateway build and can run sandboxes
 * @param database {@code sqlite} or {@code postgresql}
 * @param startedAt when this gateway process started
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayInfo(String version, String driver, Boolean driverAvailable, String database, Instant startedAt) {}

package dev.openshell.gateway.system;

import dev.openshell.api.ApiPaths;
import dev.openshell.api.GatewayInfo;
import dev.openshell.api.OpenShellVersion;
import dev.openshell.api.auth.Scope;
import dev.openshell.gateway.auth.RequiresScope;
import dev.openshell.gateway.compute.ComputeDrivers;
import dev.openshell.gateway.config.GatewayProperties;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/gateway}: the release, the compute driver and the database, for {@code
 * openshell gateway info} and {@code openshell status}. Any caller that may list sandboxes may read it.
 */
@RestController
class GatewayInfoController {

    private final GatewayInfo info;
    private final ComputeDrivers drivers;

    GatewayInfoController(GatewayProperties properties, ComputeDrivers drivers) {
        this.drivers = drivers;
        this.info = new GatewayInfo(
                OpenShellVersion.current(),
                properties.driver(),
                null,
                properties.usesSqlite() ? "sqlite" : "postgresql",
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
    }

    @RequiresScope(Scope.SANDBOX_READ)
    @GetMapping(ApiPaths.GATEWAY)
    GatewayInfo info() {
        return new GatewayInfo(info.version(), info.driver(), drivers.isAvailable(), info.database(), info.startedAt());
    }
}

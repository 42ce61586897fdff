package dev.openshell.gateway.compute;

import dev.openshell.gateway.config.GatewayProperties;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Picks the driver {@code --driver} names among the driver beans; a missing one becomes {@link UnavailableDriver}. */
@Component
public class ComputeDrivers {

    private static final Logger log = LoggerFactory.getLogger(ComputeDrivers.class);

    private final ComputeDriver active;

    public ComputeDrivers(GatewayProperties properties, List<ComputeDriver> drivers) {
        this.active = drivers.stream()
                .filter(d -> d.name().equals(properties.driver()))
                .findFirst()
                .orElseGet(() -> {
                    log.warn(
                            "compute driver '{}' is not available (have: {}); sandboxes cannot run until it is",
                            properties.driver(),
                            drivers.stream().map(ComputeDriver::name).toList());
                    return new UnavailableDriver(properties.driver());
                });
    }

    public ComputeDriver active() {
        return active;
    }

    public boolean isAvailable() {
        return !(active instanceof UnavailableDriver);
    }
}

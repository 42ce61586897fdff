package dev.openshell.gateway.compute;

import dev.openshell.api.ErrorCode;
import java.util.List;

/**
 * Stands in when the configured driver is not part of this build: the gateway still serves its
 * records; a created sandbox ends in {@code Error} with a reason naming the driver, deletes remove
 * the record, and every other call that needs compute is a 503 naming the driver.
 */
final class UnavailableDriver implements ComputeDriver {

    private final String name;

    UnavailableDriver(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void attach(WorkloadEvents events) {}

    @Override
    public void create(WorkloadSpec spec) {
        throw unavailable();
    }

    @Override
    public void start(WorkloadSpec spec) {
        throw unavailable();
    }

    @Override
    public void stop(String sandboxId) {
        throw unavailable();
    }

    /**
     * Nothing to remove here: this build made no workloads. A workload an earlier run of another
     * driver left is removed by that driver's reconciliation, which tears down workloads without a
     * record; refusing would leave records nobody can delete.
     */
    @Override
    public void delete(String sandboxId) {}

    @Override
    public List<Workload> workloads() {
        throw unavailable();
    }

    @Override
    public ExecOutcome exec(String sandboxId, ExecCommand command) {
        throw unavailable();
    }

    @Override
    public void pushPolicy(String sandboxId, long revision, String policyYaml) {
        throw unavailable();
    }

    private DriverException unavailable() {
        return new DriverException(
                ErrorCode.UNAVAILABLE, "the compute driver '" + name + "' is not available in this gateway build");
    }
}

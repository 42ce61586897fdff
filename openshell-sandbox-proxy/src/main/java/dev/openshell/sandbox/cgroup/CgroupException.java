package dev.openshell.sandbox.cgroup;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;

/**
 * Resource limits cannot be set up or enforced: {@code cgroups_unavailable} (no usable memory and
 * pids controllers on this host), {@code cgroup_failed} (creating, filling, killing or removing a
 * sandbox's cgroup) or {@code resources_invalid} (a limit out of range).
 */
public final class CgroupException extends SandboxException {

    public CgroupException(ErrorCode code, String message) {
        super(code, message);
    }

    public CgroupException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}

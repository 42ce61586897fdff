package dev.openshell.bootstrap.host;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.api.Problem;
import dev.openshell.bootstrap.host.HostCheck.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What this host can run: the checks behind {@code openshell doctor}, and the refusal {@code
 * openshell gateway start --driver local} gives when something the local driver needs is missing
 * (one line naming it, and what to install).
 */
public final class HostChecks {

    static final String LOCAL = "local driver";

    private HostChecks() {}

    public static List<HostCheck> run(HostFacts host) {
        List<HostCheck> checks = new ArrayList<>();
        int uid = host.effectiveUid();
        checks.add(
                uid == 0
                        ? ok("root", "running as root")
                        : new HostCheck(
                                "root",
                                Status.MISSING,
                                "running as uid " + uid,
                                "run as root (sudo): sandboxes create network namespaces and firewall rules",
                                LOCAL));
        checks.add(tool(host, "ip", "iproute2", "apt-get install -y iproute2"));
        checks.add(tool(host, "nft", "nftables", "apt-get install -y nftables"));
        checks.add(
                host.networkNamespaces()
                        ? ok("network namespaces", "supported")
                        : new HostCheck(
                                "network namespaces",
                                Status.MISSING,
                                "/proc/self/ns/net is missing",
                                "boot a kernel with network namespaces (CONFIG_NET_NS)",
                                LOCAL));
        Optional<HostFacts.Cgroups> cg = host.cgroups();
        checks.add(cg.filter(c -> c.controllers().containsAll(List.of("memory", "pids")))
                .map(c -> ok(
                        "cgroups",
                        c.version() + " ("
                                + String.join(
                                        ", ", c.controllers().stream().sorted().toList()) + ")"))
                .orElseGet(() -> new HostCheck(
                        "cgroups",
                        Status.MISSING,
                        cg.map(c -> c.version() + " without the memory and pids controllers")
                                .orElse("no cgroup hierarchy mounted"),
                        "mount cgroup v2 with the memory and pids controllers (or cgroup v1 memory and pids hierarchies)",
                        LOCAL)));
        int abi = host.landlockAbi();
        checks.add(
                abi > 0
                        ? ok("landlock", "ABI " + abi)
                        : new HostCheck(
                                "landlock",
                                Status.WARNING,
                                "not available: sandboxes run without filesystem rules (landlock best_effort)",
                                "boot a kernel with Landlock enabled (CONFIG_SECURITY_LANDLOCK=y and landlock in lsm=)",
                                null));
        checks.add(
                host.dockerDaemon()
                        ? ok("docker", "a Docker daemon answers")
                        : new HostCheck(
                                "docker",
                                Status.WARNING,
                                host.tool("dockerd").isPresent() ? "installed, but no daemon answers" : "not installed",
                                "only for the docker driver: apt-get install -y docker.io, then start dockerd",
                                null));
        return List.copyOf(checks);
    }

    /**
     * Refuses with the first missing prerequisite of the local driver: {@code not_root} or {@code
     * network_unavailable} (exit 125), naming it and what to install.
     */
    public static void requireLocalDriver(HostFacts host) {
        for (HostCheck c : run(host)) {
            if (c.blocksLocalDriver()) {
                ErrorCode code = c.name().equals("root") ? ErrorCode.NOT_ROOT : ErrorCode.NETWORK_UNAVAILABLE;
                if (c.name().equals("cgroups") || c.name().equals("network namespaces")) {
                    code = ErrorCode.START_FAILED;
                }
                throw new ApiException(Problem.of(code, "the local driver needs " + what(c) + ": " + c.detail())
                        .withHint(c.fix()));
            }
        }
    }

    private static String what(HostCheck c) {
        return switch (c.name()) {
            case "root" -> "root";
            case "ip" -> "the ip command (iproute2)";
            case "nft" -> "the nft command (nftables)";
            default -> c.name();
        };
    }

    private static HostCheck tool(HostFacts host, String tool, String pkg, String install) {
        return host.tool(tool)
                .map(path -> ok(tool, path))
                .orElseGet(() -> new HostCheck(tool, Status.MISSING, pkg + " is not installed", install, LOCAL));
    }

    private static HostCheck ok(String name, String detail) {
        return new HostCheck(name, Status.OK, detail, null, null);
    }
}

package dev.openshell.bootstrap.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import dev.openshell.api.ErrorCode;
import dev.openshell.bootstrap.host.HostCheck.Status;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostChecksTest {

    /** A host described by hand: which tools it has, its uid, kernel features. */
    record Described(
            int uid, Set<String> tools, int landlock, boolean netns, HostFacts.Cgroups cgroupLayout, boolean docker)
            implements HostFacts {
        @Override
        public int effectiveUid() {
            return uid;
        }

        @Override
        public Optional<String> tool(String tool) {
            return tools.contains(tool) ? Optional.of("/usr/sbin/" + tool) : Optional.empty();
        }

        @Override
        public int landlockAbi() {
            return landlock;
        }

        @Override
        public boolean networkNamespaces() {
            return netns;
        }

        @Override
        public Optional<Cgroups> cgroups() {
            return Optional.ofNullable(cgroupLayout);
        }

        @Override
        public boolean dockerDaemon() {
            return docker;
        }
    }

    static final HostFacts.Cgroups V2 = new HostFacts.Cgroups("v2", Set.of("cpu", "memory", "pids"));
    static final Described COMPLETE = new Described(0, Set.of("ip", "nft"), 7, true, V2, true);

    @Test
    void aCompleteHostPassesEveryCheck() {
        List<HostCheck> checks = HostChecks.run(COMPLETE);

        assertThat(checks)
                .extracting(HostCheck::name)
                .containsExactly("root", "ip", "nft", "network namespaces", "cgroups", "landlock", "docker");
        assertThat(checks).allMatch(c -> c.status() == Status.OK && c.fix() == null);
        assertThat(checks)
                .filteredOn(c -> c.name().equals("landlock"))
                .first()
                .extracting(HostCheck::detail)
                .isEqualTo("ABI 7");
        HostChecks.requireLocalDriver(COMPLETE);
    }

    @Test
    void notRootIsRefusedWithItsOwnCode() {
        Described user = new Described(1000, Set.of("ip", "nft"), 7, true, V2, false);

        assertThatThrownBy(() -> HostChecks.requireLocalDriver(user)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_ROOT);
            assertThat(e.getMessage()).isEqualTo("the local driver needs root: running as uid 1000");
            assertThat(e.hint()).contains("sudo");
            assertThat(e.exitCode()).isEqualTo(125);
        });
    }

    @Test
    void eachMissingToolNamesThePackageToInstall() {
        for (String missing : List.of("ip", "nft")) {
            Described host = new Described(
                    0,
                    Set.of("ip", "nft").stream()
                            .filter(t -> !t.equals(missing))
                            .collect(java.util.stream.Collectors.toSet()),
                    7,
                    true,
                    V2,
                    false);
            assertThatThrownBy(() -> HostChecks.requireLocalDriver(host))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("the " + missing + " command");
                        assertThat(e.hint())
                                .startsWith("apt-get install -y " + (missing.equals("ip") ? "iproute2" : "nftables"));
                    });
        }
    }

    @Test
    void missingKernelFeaturesAreNamed() {
        Described noCgroups =
                new Described(0, Set.of("ip", "nft"), 7, true, new HostFacts.Cgroups("v2", Set.of("cpu")), false);
        Described noNetns = new Described(0, Set.of("ip", "nft"), 7, false, V2, false);

        assertThatThrownBy(() -> HostChecks.requireLocalDriver(noCgroups))
                .hasMessage("the local driver needs cgroups: v2 without the memory and pids controllers");
        assertThatThrownBy(() -> HostChecks.requireLocalDriver(noNetns)).hasMessageContaining("network namespaces");
    }

    @Test
    void missingLandlockOrDockerOnlyWarns() {
        Described host = new Described(0, Set.of("ip", "nft"), 0, true, V2, false);

        Map<String, HostCheck> byName =
                HostChecks.run(host).stream().collect(java.util.stream.Collectors.toMap(HostCheck::name, c -> c));
        assertThat(byName.get("landlock").status()).isEqualTo(Status.WARNING);
        assertThat(byName.get("landlock").fix()).contains("CONFIG_SECURITY_LANDLOCK");
        assertThat(byName.get("docker").status()).isEqualTo(Status.WARNING);
        assertThat(byName.get("docker").detail()).isEqualTo("not installed");
        HostChecks.requireLocalDriver(host);
    }
}

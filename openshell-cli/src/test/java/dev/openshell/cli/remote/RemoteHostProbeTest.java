package dev.openshell.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import org.junit.jupiter.api.Test;

class RemoteHostProbeTest {

    private static final String READY = """
            uid=0
            home=/root
            ssh=10.0.0.1 51234 10.0.0.2 22
            kernel=Linux
            machine=x86_64
            netns=yes
            cgroup2=
            cgroup1=rw,nosuid,memory,rw,pids,
            tool=ip=/usr/sbin/ip
            tool=nft=/usr/sbin/nft
            tool=sha256sum=/usr/bin/sha256sum
            java=/usr/lib/jvm/java-17-openjdk-amd64/bin/java|openjdk version "17.0.13" 2024-10-15
            java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java|openjdk version "25.0.1" 2025-10-21 LTS
            java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java|openjdk version "25.0.1" 2025-10-21 LTS
            """;

    @Test
    void aReadyHostLacksNothingAndBindsTheAddressSshArrivedOn() {
        RemoteHostFacts facts = RemoteHostProbe.parse(READY, "gw1");

        assertThat(facts.missing()).isEmpty();
        assertThat(facts.serverAddress()).isEqualTo("10.0.0.2");
        assertThat(facts.javas()).hasSize(2);
        assertThat(facts.java().orElseThrow().path()).isEqualTo("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    }

    @Test
    void eachMissingPrerequisiteIsOneLineWithWhatToInstall() {
        String bare = """
                uid=1000
                home=/home/ops
                kernel=Linux
                machine=aarch64
                cgroup2=hugetlb
                java=/usr/bin/java|java version "1.8.0_392"
                """;

        RemoteHostFacts facts = RemoteHostProbe.parse(bare, "gw1");

        assertThat(facts.serverAddress())
                .as("no SSH_CONNECTION: the name connected to")
                .isEqualTo("gw1");
        assertThat(facts.missing())
                .containsExactly(
                        "x86_64: the host is aarch64; the sandbox launcher is built for x86_64 only",
                        "Java 25: found only /usr/bin/java (Java 8); install a Java 25 JDK there (Debian/Ubuntu:"
                                + " apt-get install -y temurin-25-jdk from https://adoptium.net/installation/linux) or set"
                                + " JAVA_HOME for SSH sessions",
                        "root: logged in as uid 1000; the local driver creates network namespaces and firewall rules:"
                                + " log in as root (root@host)",
                        "ip: not installed; apt-get install -y iproute2",
                        "nft: not installed; apt-get install -y nftables",
                        "sha256sum: not installed; apt-get install -y coreutils",
                        "cgroups: no memory and pids controllers mounted; mount cgroup v2 with them (or the cgroup v1"
                                + " memory and pids hierarchies)",
                        "network namespaces: /proc/self/ns/net is missing; boot a kernel with CONFIG_NET_NS");
        assertThat(facts.missing()).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
    }

    @Test
    void aHomeThatIsNotAnAbsolutePathIsRefused() {
        assertThatThrownBy(() -> RemoteHostProbe.parse("uid=0\nhome=relative\n", "gw1"))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("no usable home directory");
    }
}

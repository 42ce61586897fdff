package dev.openshell.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.policy.model.FilesystemPolicy;
import dev.openshell.policy.model.LandlockPolicy;
import dev.openshell.policy.model.LandlockPolicy.Compatibility;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.ProcessPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LaunchSpecTest {

    private static final Path LAUNCHER = Path.of("/opt/openshell-launch");
    private static final Path WORKDIR = Path.of("/sandbox");

    private static LaunchSpec spec(FilesystemPolicy filesystem, Compatibility compatibility) {
        return new LaunchSpec(
                WORKDIR,
                filesystem,
                new LandlockPolicy(compatibility),
                new ProcessPolicy("agent", "agents"),
                null,
                false,
                List.of());
    }

    @Test
    void buildsEveryOptionInOrder() {
        LaunchSpec spec = spec(
                        new FilesystemPolicy(true, List.of("/usr", "/etc"), List.of("/tmp")),
                        Compatibility.HARD_REQUIREMENT)
                .withNetns(Path.of("/var/run/netns/sb1"))
                .withPrivateMounts(List.of(
                        new LaunchSpec.Bind(Path.of("/var/lib/openshell/sb1/work"), WORKDIR),
                        LaunchSpec.Bind.readOnly(
                                Path.of("/var/lib/openshell/sb1/tls"), Path.of("/run/openshell/tls"))));

        assertThat(spec.command(LAUNCHER, List.of("sh", "-c", "echo hi")))
                .containsExactly(
                        "/opt/openshell-launch",
                        "--landlock",
                        "hard_requirement",
                        "--netns",
                        "/var/run/netns/sb1",
                        "--die-with-parent",
                        "--private-mounts",
                        "--expose",
                        "/etc",
                        "--expose",
                        "/usr",
                        "--bind",
                        "/var/lib/openshell/sb1/work:/sandbox",
                        "--ro-bind",
                        "/var/lib/openshell/sb1/tls:/run/openshell/tls",
                        "--ro",
                        "/usr",
                        "--ro",
                        "/etc",
                        "--rw",
                        "/tmp",
                        "--rw",
                        "/sandbox",
                        "--user",
                        "agent",
                        "--group",
                        "agents",
                        "--chdir",
                        "/sandbox",
                        "--seccomp",
                        "--",
                        "sh",
                        "-c",
                        "echo hi");
    }

    @Test
    void anIdmappedBindIsItsOwnOption() {
        LaunchSpec spec = spec(new FilesystemPolicy(true, List.of(), List.of()), Compatibility.BEST_EFFORT)
                .withPrivateMounts(List.of(
                        LaunchSpec.Bind.idmapped(Path.of("/home/alice/project"), WORKDIR),
                        new LaunchSpec.Bind(Path.of("/run/x/resolv.conf"), Path.of("/etc/resolv.conf"))));

        assertThat(String.join(" ", spec.command(LAUNCHER, List.of("true"))))
                .contains("--bind-idmapped /home/alice/project:/sandbox --bind /run/x/resolv.conf:/etc/resolv.conf");
    }

    @Test
    void execFromWritableIsPassedOn() {
        LaunchSpec spec = spec(new FilesystemPolicy(true, List.of(), List.of("/tmp"), true), Compatibility.BEST_EFFORT)
                .withPrivateMounts(List.of());

        assertThat(spec.command(LAUNCHER, List.of("true"))).contains("--exec-from-writable");
        assertThat(spec(new FilesystemPolicy(true, List.of(), List.of("/tmp"), false), Compatibility.BEST_EFFORT)
                        .withPrivateMounts(List.of())
                        .command(LAUNCHER, List.of("true")))
                .doesNotContain("--exec-from-writable");
    }

    @Test
    void aSessionJoinsTheSandboxInsteadOfMakingNamespaces() {
        LaunchSpec agent = spec(new FilesystemPolicy(true, List.of("/usr"), List.of()), Compatibility.BEST_EFFORT)
                .withNetns(Path.of("/var/run/netns/sb1"))
                .withPrivateMounts(List.of(new LaunchSpec.Bind(Path.of("/srv/work"), WORKDIR)));

        List<String> session = agent.joining(4242).command(LAUNCHER, List.of("true"));

        assertThat(session.subList(0, 7))
                .containsExactly(
                        "/opt/openshell-launch",
                        "--landlock",
                        "best_effort",
                        "--netns",
                        "/var/run/netns/sb1",
                        "--join",
                        "4242");
        assertThat(session)
                .doesNotContain("--private-mounts", "--bind", "--expose")
                .contains("--ro", "/usr");
        assertThatThrownBy(() -> agent.joining(1)).hasMessageContaining("not a sandbox init");
    }

    @Test
    void cgroupsComeFirstAndSessionsJoinThemWithoutSizingAnything() {
        LaunchSpec.Limits limits = new LaunchSpec.Limits(
                List.of(Path.of("/sys/fs/cgroup/memory/openshell/sb1"), Path.of("/sys/fs/cgroup/pids/openshell/sb1")),
                1 << 20);
        LaunchSpec agent = spec(new FilesystemPolicy(true, List.of(), List.of()), Compatibility.BEST_EFFORT)
                .withPrivateMounts(List.of())
                .withLimits(limits);

        List<String> command = agent.command(LAUNCHER, List.of("true"));
        List<String> session = agent.joining(4242).command(LAUNCHER, List.of("true"));

        assertThat(command.subList(0, 5))
                .containsExactly(
                        "/opt/openshell-launch",
                        "--cgroup",
                        "/sys/fs/cgroup/memory/openshell/sb1",
                        "--cgroup",
                        "/sys/fs/cgroup/pids/openshell/sb1");
        assertThat(String.join(" ", command)).contains("--private-mounts --tmp-size 1048576");
        assertThat(session.subList(0, 5)).isEqualTo(command.subList(0, 5));
        assertThat(session).doesNotContain("--tmp-size", "--private-mounts");
        assertThatThrownBy(() -> new LaunchSpec.Limits(List.of(Path.of("relative")), 0))
                .hasMessageContaining("cgroup must be an absolute path");
        assertThatThrownBy(() -> new LaunchSpec.Bind(Path.of("/a"), Path.of("/b"), true, true))
                .hasMessageContaining("an idmapped bind is writable");
    }

    @Test
    void minimalSpecStaysInTheCallersNamespaces() {
        LaunchSpec spec = LaunchSpec.of(Policy.denyAll(), WORKDIR);

        assertThat(spec.command(LAUNCHER, List.of("true")))
                .containsExactly(
                        "/opt/openshell-launch",
                        "--landlock",
                        "best_effort",
                        "--ro",
                        "/usr",
                        "--ro",
                        "/lib",
                        "--ro",
                        "/lib64",
                        "--ro",
                        "/bin",
                        "--ro",
                        "/sbin",
                        "--ro",
                        "/etc",
                        "--rw",
                        "/tmp",
                        "--rw",
                        "/sandbox",
                        "--user",
                        "sandbox",
                        "--group",
                        "sandbox",
                        "--chdir",
                        "/sandbox",
                        "--seccomp",
                        "--",
                        "true");
    }

    @Test
    void workdirIsNotReadWriteWithoutIncludeWorkdirAndNeverListedTwice() {
        List<String> excluded = spec(new FilesystemPolicy(false, List.of(), List.of()), Compatibility.BEST_EFFORT)
                .command(LAUNCHER, List.of("true"));
        List<String> listedAlready = spec(
                        new FilesystemPolicy(true, List.of(), List.of("/sandbox")), Compatibility.BEST_EFFORT)
                .command(LAUNCHER, List.of("true"));

        assertThat(excluded).doesNotContain("--rw");
        assertThat(listedAlready.stream().filter("--rw"::equals)).hasSize(1);
    }

    @Test
    void programArgumentsAreNotInterpreted() {
        List<String> command =
                LaunchSpec.of(Policy.denyAll(), WORKDIR).command(LAUNCHER, List.of("printf", "--user", "root", "--"));

        assertThat(command.subList(command.indexOf("--") + 1, command.size()))
                .containsExactly("printf", "--user", "root", "--");
    }

    @Test
    void rejectsInvalidSpecs() {
        LaunchSpec valid = LaunchSpec.of(Policy.denyAll(), WORKDIR);

        assertThatThrownBy(() -> LaunchSpec.of(Policy.denyAll(), Path.of("relative")))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("workdir must be an absolute path");
        assertThatThrownBy(() -> new LaunchSpec(
                        WORKDIR,
                        FilesystemPolicy.DEFAULT,
                        LandlockPolicy.DEFAULT,
                        ProcessPolicy.DEFAULT,
                        null,
                        false,
                        List.of(new LaunchSpec.Bind(Path.of("/a"), Path.of("/b")))))
                .hasMessageContaining("binds need private mounts");
        assertThatThrownBy(() -> new LaunchSpec.Bind(Path.of("/a:b"), Path.of("/b")))
                .hasMessageContaining("may not contain ':'");
        assertThatThrownBy(() -> valid.command(LAUNCHER, List.of()))
                .isInstanceOf(LaunchException.class)
                .extracting(e -> ((LaunchException) e).code())
                .isEqualTo(ErrorCode.LAUNCH_SPEC_INVALID);
    }
}

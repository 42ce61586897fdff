package dev.openshell.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.policy.FilesystemPolicy;
import dev.openshell.policy.LandlockPolicy;
import dev.openshell.policy.LandlockPolicy.Compatibility;
import dev.openshell.policy.Policy;
import dev.openshell.policy.ProcessPolicy;
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
                .withPrivateMounts(List.of(new LaunchSpec.Bind(Path.of("/var/lib/openshell/sb1/work"), WORKDIR)));

        assertThat(spec.command(LAUNCHER, List.of("sh", "-c", "echo hi")))
                .containsExactly(
                        "/opt/openshell-launch",
                        "--landlock",
                        "hard_requirement",
                        "--netns",
                        "/var/run/netns/sb1",
                        "--private-mounts",
                        "--bind",
                        "/var/lib/openshell/sb1/work:/sandbox",
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
                        new LaunchSpec.Bind(Path.of("/home/alice/project"), WORKDIR, true),
                        new LaunchSpec.Bind(Path.of("/run/x/resolv.conf"), Path.of("/etc/resolv.conf"))));

        assertThat(String.join(" ", spec.command(LAUNCHER, List.of("true"))))
                .contains("--bind-idmapped /home/alice/project:/sandbox --bind /run/x/resolv.conf:/etc/resolv.conf");
    }

    @Test
    void minimalSpecStaysInTheCallersNamespaces() {
        LaunchSpec spec = LaunchSpec.of(Policy.denyAll(), WORKDIR);

        assertThat(spec.command(LAUNCHER, List.of("true")))
                .containsExactly(
                        "/opt/openshell-launch",
                        "--landlock",
                        "best_effort",
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
                .isEqualTo("launch_spec_invalid");
    }
}

package dev.openshell.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.policy.model.FilesystemPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the agent's root shows for a policy: exposures, their order, symlinks, and what stays hidden. */
class AgentViewTest {

    private static final Path WORKDIR = Path.of("/sandbox");

    /** A scratch tree outside every sandbox place (not under /tmp, which the view never exposes). */
    private Path d;

    @BeforeEach
    void makeTree() throws IOException {
        d = Files.createDirectories(
                Path.of("target", "agent-view-" + UUID.randomUUID()).toAbsolutePath());
        Files.createDirectories(d.resolve("tools/bin"));
        Files.createDirectories(d.resolve("data/cache"));
        Files.createDirectories(d.resolve("real"));
        Files.createSymbolicLink(d.resolve("link"), Path.of("real"));
    }

    @AfterEach
    void removeTree() throws IOException {
        Launched.deleteRecursively(d);
    }

    private static AgentView view(List<String> readOnly, List<String> readWrite, LaunchSpec.Bind... binds) {
        return AgentView.of(new FilesystemPolicy(true, readOnly, readWrite), WORKDIR, List.of(binds));
    }

    private String p(String relative) {
        return d.resolve(relative).toString();
    }

    @Test
    void listedPathsAreExposedParentsFirstWritableOnesNoexec() {
        AgentView view = view(List.of(p("tools"), p("data")), List.of(p("data/cache")));

        assertThat(view.options())
                .containsExactly("--expose", p("data"), "--expose-writable", p("data/cache"), "--expose", p("tools"));
    }

    @Test
    void aPathUnderAnExposureIsNotExposedTwiceAndAReadOnlyOneUnderAWritableOneStaysWritable() {
        AgentView view = view(List.of(p("tools"), p("tools/bin"), p("data/cache")), List.of(p("data")));

        assertThat(view.options()).containsExactly("--expose-writable", p("data"), "--expose", p("tools"));
    }

    @Test
    void theSandboxsOwnPlacesTheWorkdirAndBindTargetsAreNeverExposed() {
        AgentView view = view(
                List.of(
                        "/tmp",
                        "/tmp/x",
                        "/var/tmp",
                        "/run",
                        "/run/dbus",
                        "/var/run/docker.sock",
                        "/dev",
                        "/dev/log",
                        "/proc",
                        "/sandbox/vendor",
                        "/run/openshell/tls"),
                List.of("/dev/shm", "/sandbox"),
                LaunchSpec.Bind.readOnly(Path.of(p("real")), Path.of("/run/openshell/tls")));

        assertThat(view.options()).isEmpty();
    }

    @Test
    void aSymlinkIsRecreatedAndItsTargetExposed() {
        AgentView view = view(List.of(p("link")), List.of());

        assertThat(view.options()).containsExactly("--expose", p("real"), "--symlink", p("link") + ":real");
    }

    @Test
    void aMissingPathIsLeftToLandlock() {
        assertThat(view(List.of(p("missing")), List.of()).options()).isEmpty();
    }

    @Test
    void aWritableBindWhoseSourceAnExposureShowsIsAlsoMountedAtItsSource() {
        LaunchSpec.Bind work = new LaunchSpec.Bind(Path.of(p("data")), WORKDIR);

        AgentView view = view(List.of(d.toString()), List.of(), work);

        assertThat(view.binds()).containsExactly(work, new LaunchSpec.Bind(Path.of(p("data")), Path.of(p("data"))));
        assertThat(view(List.of(p("tools")), List.of(), work).binds()).containsExactly(work);
    }

    @Test
    void anIdmappedWorkdirIsIdmappedAtItsSourceToo() {
        LaunchSpec.Bind work = LaunchSpec.Bind.idmapped(Path.of(p("data")), WORKDIR);

        AgentView view = view(List.of(d.toString()), List.of(), work);

        assertThat(view.binds())
                .containsExactly(work, LaunchSpec.Bind.idmapped(Path.of(p("data")), Path.of(p("data"))));
    }

    @Test
    void showsWhatWillExistInTheView() {
        AgentView view = view(
                List.of(p("tools")), List.of(), new LaunchSpec.Bind(Path.of(p("data")), Path.of("/run/openshell/tls")));

        assertThat(view.shows(Path.of(p("tools/bin")))).isTrue();
        assertThat(view.shows(Path.of(p("data")))).isFalse();
        assertThat(view.shows(Path.of(p("tools/missing")))).isFalse();
        assertThat(view.shows(Path.of("/tmp"))).isTrue();
        assertThat(view.shows(Path.of("/tmp/anything"))).isFalse();
        assertThat(view.shows(Path.of("/dev/null"))).isTrue();
        assertThat(view.shows(Path.of("/dev/kvm"))).isFalse();
        assertThat(view.shows(Path.of("/run/openshell/tls"))).isTrue();
        assertThat(view.shows(Path.of("/run/openshell/tls/cache"))).isTrue();
        assertThat(view.shows(Path.of("/proc/self/status"))).isTrue();
    }
}

package dev.openshell.sandbox.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.spec.SandboxSpec;
import dev.openshell.sandbox.ssh.SandboxSshClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host directory given as the workdir: the agent writes to it through an idmapped mount, so what
 * it creates belongs to the directory's owner on the host and nothing of the user's tree is
 * chown-ed; a directory the agent could not use fails the start before anything is made.
 */
@SandboxHost
class WorkdirIT {

    private static final int OWNER = 4242;
    private static final int GROUP = 4343;

    private Path parent;
    private Path workdir;
    private SandboxSupervisor sandbox;

    @BeforeEach
    void setUp() throws IOException {
        // A closed parent, like a 0700 home: the agent cannot search it, the workdir must still work.
        parent = Files.createTempDirectory(Path.of("/var/tmp"), "openshell-workdir-it-");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        workdir = Files.createDirectory(parent.resolve("work"));
        chown(workdir, OWNER, GROUP);
        Files.setPosixFilePermissions(workdir, PosixFilePermissions.fromString("rwxr-x---"));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (sandbox != null) {
            sandbox.close();
        }
        if (parent != null) {
            SandboxFixture.run(List.of("umount", "-l", workdir.toString()));
            StaleSandboxes.deleteRecursively(parent);
        }
    }

    private AgentShell start(Path dir) {
        return start(dir, false);
    }

    private AgentShell start(Path dir, boolean ssh) {
        SandboxSpec spec = SandboxSpec.of(dir, AgentShell.COMMAND)
                .withPolicyYaml(SandboxFixture.systemPolicy())
                .withSsh(ssh);
        sandbox = SandboxSupervisor.start(spec, SandboxFixture.options(Map.of()));
        return new AgentShell(dir);
    }

    @Test
    void whatTheAgentCreatesBelongsToTheDirectorysOwnerOnTheHost() throws Exception {
        AgentShell agent = start(workdir);

        AgentShell.Result r = agent.run("echo hi > made && mkdir sub && echo deep > sub/file && pwd"
                + " && stat -c '%u:%g' . made sub/file && id -u && id -g");

        assertThat(r.exitCode()).as(r.output()).isZero();
        String uid = agentId("-u");
        String gid = agentId("-g");
        assertThat(r.output().lines().toList())
                .containsExactly(workdir.toString(), uid + ":" + gid, uid + ":" + gid, uid + ":" + gid, uid, gid);
        for (Path made : List.of(workdir.resolve("made"), workdir.resolve("sub"), workdir.resolve("sub/file"))) {
            assertThat(owner(made)).as(made.toString()).isEqualTo(OWNER + ":" + GROUP);
        }
        assertThat(workdir.resolve("made")).hasContent("hi");
        assertThat(owner(workdir)).isEqualTo(OWNER + ":" + GROUP);
    }

    @Test
    void anSshSessionJoinsTheAgentsWorkdirAndTmpAsItsUidInItsCgroup() throws Exception {
        AgentShell agent = start(workdir, true);
        String who = "id -u; id -g; grep -E 'pids|memory|^0::' /proc/self/cgroup";

        AgentShell.Result fromAgent = agent.run("echo agent-was-here > /tmp/shared; " + who);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (SandboxSshClient client =
                SandboxSshClient.connect(sandbox.sshEndpoint().orElseThrow())) {
            code = client.execShell(
                    "cat /tmp/shared; pwd; echo hi > from-ssh; stat -c '%u:%g' from-ssh; " + who,
                    InputStream.nullInputStream(),
                    out,
                    err);
        }

        assertThat(fromAgent.exitCode()).as(fromAgent.output()).isZero();
        assertThat(fromAgent.output()).contains("/openshell/");
        String uid = fromAgent.output().lines().findFirst().orElseThrow();
        String gid = fromAgent.output().lines().skip(1).findFirst().orElseThrow();
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("agent-was-here\n" + workdir + "\n" + uid + ":" + gid + "\n" + fromAgent.output());
        assertThat(owner(workdir.resolve("from-ssh"))).isEqualTo(OWNER + ":" + GROUP);
    }

    @Test
    void theOwnersFilesAreTheAgentsAndOtherOwnersFilesAreNobodys() throws Exception {
        Path owned = Files.writeString(workdir.resolve("owned"), "mine\n");
        chown(owned, OWNER, GROUP);
        Path rootFile = Files.writeString(workdir.resolve("root-file"), "root's\n");
        Files.setPosixFilePermissions(rootFile, PosixFilePermissions.fromString("rw-r--r--"));
        AgentShell agent = start(workdir);

        AgentShell.Result appendOwned = agent.run("echo more >> owned");
        AgentShell.Result appendRoot = agent.run("echo more >> root-file");
        AgentShell.Result readRoot = agent.run("cat root-file; stat -c '%u' root-file");

        assertThat(appendOwned.exitCode()).as(appendOwned.output()).isZero();
        assertThat(owned).hasContent("mine\nmore");
        assertThat(owner(owned)).isEqualTo(OWNER + ":" + GROUP);
        assertThat(appendRoot.exitCode()).isNotZero();
        assertThat(appendRoot.output()).contains("Permission denied");
        assertThat(rootFile).hasContent("root's");
        assertThat(readRoot.output()).isEqualTo("root's\n65534\n");
    }

    @Test
    void anUnusableWorkdirFailsTheStartBeforeAnythingIsMade() throws Exception {
        Path file = Files.writeString(parent.resolve("file"), "x");
        chown(file, OWNER, GROUP);
        Path readOnly = Files.createDirectory(parent.resolve("read-only"));
        chown(readOnly, OWNER, GROUP);
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path rootOwned = Files.createDirectory(parent.resolve("root-owned"));
        Files.setPosixFilePermissions(rootOwned, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path rootGroup = Files.createDirectory(parent.resolve("root-group"));
        chown(rootGroup, OWNER, 0);

        assertUnusable(parent.resolve("missing"), "does not exist");
        assertUnusable(file, "is not a directory");
        assertUnusable(readOnly, "not writable by its owner");
        assertUnusable(rootOwned, "owned by root");
        assertUnusable(rootGroup, "has group root");
        SandboxFixture.run(List.of(
                "mount", "-t", "tmpfs", "-o", "ro,uid=" + OWNER + ",gid=" + GROUP, "tmpfs", workdir.toString()));
        assertUnusable(workdir, "read-only filesystem");
        SandboxFixture.run(List.of("umount", workdir.toString()));
        SandboxFixture.run(List.of("mount", "-t", "ramfs", "ramfs", workdir.toString()));
        chown(workdir, OWNER, GROUP);
        assertUnusable(workdir, "(ramfs) does not support idmapped mounts");
    }

    private void assertUnusable(Path dir, String why) {
        SandboxSpec spec = SandboxSpec.of(dir, List.of("touch", "ran")).withSsh(false);
        assertThatThrownBy(() -> SandboxSupervisor.start(spec, SandboxFixture.options(Map.of())))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining(dir.toString())
                .hasMessageContaining(why)
                .extracting("code")
                .isEqualTo(ErrorCode.WORKDIR_UNUSABLE);
        assertThat(spec.stateDir()).doesNotExist();
        assertThat(SandboxFixture.run(List.of("ip", "netns", "list"))).doesNotContain("osh-" + spec.id());
    }

    private String agentId(String flag) {
        return SandboxFixture.run(List.of(
                        "ps", "-o", flag.equals("-u") ? "uid=" : "gid=", "-p", String.valueOf(sandbox.agentPid())))
                .strip();
    }

    private static String owner(Path path) throws IOException {
        return Files.getAttribute(path, "unix:uid") + ":" + Files.getAttribute(path, "unix:gid");
    }

    private static void chown(Path path, int uid, int gid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid);
        Files.setAttribute(path, "unix:gid", gid);
    }
}

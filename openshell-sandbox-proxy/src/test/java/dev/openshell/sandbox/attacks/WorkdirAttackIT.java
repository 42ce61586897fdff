package dev.openshell.sandbox.attacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.sandbox.SandboxHost;
import dev.openshell.sandbox.supervisor.AgentShell;
import dev.openshell.sandbox.supervisor.SandboxFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent owns a user's directory through the idmapped workdir: it writes there as the
 * directory's owner. It must not turn that into more: set-id programs that run as the owner for
 * whoever starts them, device nodes, links to host files, files of another owner, writes outside
 * the tree through links or {@code ..}, or files of its own uid left on the host.
 */
@SandboxHost
class WorkdirAttackIT {

    private static final int OWNER = 4242;
    private static final int GROUP = 4343;

    private static Path parent;
    private static Path workdir;
    private static AttackSandbox attack;

    @BeforeAll
    static void start() throws Exception {
        // Not under /var/tmp (the sandbox's own place there hides the host's): the parent, with a
        // world-writable file in it, is in the agent's view (read-only), so only the rules keep
        // the agent from writing there, not the file's absence.
        parent = Files.createTempDirectory(Path.of("/var/lib"), "openshell-workdir-attack-");
        workdir = Files.createDirectory(parent.resolve("work"));
        Files.setAttribute(workdir, "unix:uid", OWNER);
        Files.setAttribute(workdir, "unix:gid", GROUP);
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(parent.resolve("outside"), "outside\n");
        Files.setPosixFilePermissions(parent.resolve("outside"), PosixFilePermissions.fromString("rw-rw-rw-"));
        attack = AttackSandbox.start(SandboxFixture.systemPolicy(parent.toString()), spec -> spec.withWorkdir(workdir));
    }

    @AfterAll
    static void stop() throws Exception {
        if (attack != null) {
            attack.close();
        }
        if (parent != null) {
            try (Stream<Path> paths = Files.walk(parent)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void setIdProgramsCannotBePlantedByAnyCall() throws Exception {
        AgentShell.Result r = attack.sh("""
                cp /bin/true prog
                chmod u+s prog; echo "chmod u+s $?"
                chmod g+s prog; echo "chmod g+s $?"
                chmod 4755 prog; echo "chmod 4755 $?"
                install -m 4755 /bin/true installed; echo "install $?"
                python3 - <<'EOF'
                import os, stat
                def attempt(name, call):
                    try:
                        call(); print(name, "allowed")
                    except OSError as e:
                        print(name, "refused")
                attempt("open", lambda: os.close(os.open("opened", os.O_CREAT | os.O_WRONLY, 0o4755)))
                attempt("tmpfile", lambda: os.close(os.open(".", os.O_TMPFILE | os.O_WRONLY, 0o2755)))
                attempt("mknod", lambda: os.mknod("node", stat.S_IFREG | 0o6755))
                attempt("fchmod", lambda: os.fchmod(os.open("prog", os.O_RDONLY), 0o4755))
                attempt("fchmodat", lambda: os.chmod("prog", 0o2755, dir_fd=os.open(".", os.O_RDONLY)))
                EOF
                """);

        assertThat(r.output())
                .contains("chmod u+s 1", "chmod g+s 1", "chmod 4755 1", "install 1")
                .contains("open refused", "tmpfile refused", "mknod refused", "fchmod refused", "fchmodat refused")
                .doesNotContain("allowed");
        assertThat(setIdFiles()).isEmpty();
    }

    @Test
    void deviceNodesLinksToHostFilesAndOwnershipChangesAreRefused() throws Exception {
        AgentShell.Result r = attack.sh("""
                mknod null-copy c 1 3; echo "mknod $?"
                ln /etc/passwd passwd-link; echo "hardlink $?"
                ln ../outside outside-link; echo "hardlink-parent $?"
                echo x > mine; chown 0 mine; echo "chown $?"
                chgrp 0 mine; echo "chgrp $?"
                """);

        assertThat(r.output()).contains("mknod 1", "hardlink 1", "hardlink-parent 1", "chown 1", "chgrp 1");
        assertThat(workdir.resolve("null-copy")).doesNotExist();
        assertThat(workdir.resolve("passwd-link")).doesNotExist();
        assertThat(workdir.resolve("outside-link")).doesNotExist();
        assertThat(Files.getAttribute(workdir.resolve("mine"), "unix:uid")).isEqualTo(OWNER);
    }

    @Test
    void nothingOutsideTheTreeIsWritableThroughLinksOrParents() throws Exception {
        AgentShell.Result r = attack.sh("""
                ln -s ../outside sym; (echo appended >> sym) && echo "symlink allowed"
                (echo appended >> ../outside) && echo "parent allowed"
                touch ../planted && echo "plant allowed"
                mkdir -p sub && cd sub && (echo appended >> ../../outside) && echo "relative allowed"
                echo done
                """);

        assertThat(r.output()).contains("Permission denied").endsWith("done\n").doesNotContain("allowed");
        assertThat(parent.resolve("outside")).hasContent("outside");
        assertThat(parent.resolve("planted")).doesNotExist();
    }

    @Test
    void everythingTheAgentLeavesBelongsToTheOwnerNeverToItsOwnUidOrRoot() throws Exception {
        attack.sh("mkdir -p deep/er && echo x > deep/er/file && ln -s file deep/er/link && mkfifo fifo");

        try (Stream<Path> paths = Files.walk(workdir)) {
            for (Path path : paths.toList()) {
                try {
                    assertThat(Files.getAttribute(path, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS))
                            .as(path.toString())
                            .isEqualTo(OWNER);
                } catch (java.nio.file.NoSuchFileException e) {
                    // a script of the agent shell, deleted meanwhile
                }
            }
        }
    }

    private static List<Path> setIdFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(workdir)) {
            return paths.filter(p -> {
                        try {
                            int mode = (Integer) Files.getAttribute(p, "unix:mode");
                            return (mode & 06000) != 0;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .toList();
        }
    }
}

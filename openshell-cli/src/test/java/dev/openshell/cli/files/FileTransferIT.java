package dev.openshell.cli.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openshell.cli.CliRunner.Result;
import dev.openshell.cli.support.CliSession;
import dev.openshell.cli.support.LocalDriverGateway;
import dev.openshell.cli.support.SharedLocalGateway;
import dev.openshell.testkit.RequiresRoot;
import dev.openshell.testkit.RequiresTool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code sandbox upload/download} against a real sandbox of a local-driver gateway. */
@RequiresRoot
@ExtendWith(SharedLocalGateway.class)
@RequiresTool({"ip", "nft", "tar"})
class FileTransferIT {

    static LocalDriverGateway gateway;
    static CliSession cli;
    static String sandbox;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startGateway(LocalDriverGateway shared) {
        gateway = shared;
        cli = gateway.cli();
        sandbox = gateway.sandbox("files");
    }

    @Test
    void aTreeRoundTripsWithGitIgnoreRespected() throws Exception {
        Path proj = tmp.resolve("proj");
        write(proj, ".gitignore", "*.log\n!keep.log\nbuild/\n/secret.env\n");
        write(proj, "src/main.py", "print('hi')\n");
        write(proj, "src/.gitignore", "!debug.log\n");
        write(proj, "src/debug.log", "nested negation\n");
        write(proj, "src/secret.env", "not anchored here\n");
        write(proj, "app.log", "ignored\n");
        write(proj, "keep.log", "kept\n");
        write(proj, "build/out.bin", "ignored\n");
        write(proj, "secret.env", "ignored\n");
        write(proj, ".git/config", "ignored\n");
        Files.write(proj.resolve("data.bin"), new byte[2 * 1024 * 1024 + 5]);
        Files.createSymbolicLink(proj.resolve("link-to-main"), Path.of("src/main.py"));

        Result up = cli.run("sandbox", "upload", sandbox, proj.toString(), "/tmp/up");
        Result listed = cli.run("sandbox", "exec", sandbox, "--", "sh", "-c", "cd /tmp/up && find . | sort");
        Result down = cli.run(
                "sandbox",
                "download",
                sandbox,
                "/tmp/up/proj",
                tmp.resolve("back").toString());
        Result all = cli.run("sandbox", "upload", "--no-git-ignore", sandbox, proj.toString(), "/tmp/all");
        Result allListed =
                cli.run("sandbox", "exec", sandbox, "--", "sh", "-c", "cd /tmp/all && find . -type f | sort");

        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(up.err()).contains("uploaded 7 files to files:/tmp/up/proj");
        assertThat(listed.out().lines().toList())
                .containsExactly(
                        ".",
                        "./proj",
                        "./proj/.gitignore",
                        "./proj/data.bin",
                        "./proj/keep.log",
                        "./proj/link-to-main",
                        "./proj/src",
                        "./proj/src/.gitignore",
                        "./proj/src/debug.log",
                        "./proj/src/main.py",
                        "./proj/src/secret.env");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        Path back = tmp.resolve("back/proj");
        assertThat(Files.readString(back.resolve("src/main.py"))).isEqualTo("print('hi')\n");
        assertThat(Files.size(back.resolve("data.bin"))).isEqualTo(2 * 1024 * 1024 + 5);
        assertThat(Files.readSymbolicLink(back.resolve("link-to-main"))).isEqualTo(Path.of("src/main.py"));
        assertThat(back.resolve("app.log")).doesNotExist();
        assertThat(allListed.out()).contains("./proj/app.log", "./proj/.git/config", "./proj/build/out.bin");
        assertThat(all.exitCode()).isZero();
    }

    @Test
    void anUploadWithALinkLeadingOutIsRefusedInOneLine() throws Exception {
        Path proj = tmp.resolve("leaky");
        write(proj, "ok.txt", "x");
        Path link = Files.createSymbolicLink(proj.resolve("passwords"), Path.of("/etc/shadow"));

        Result r = cli.run("sandbox", "upload", sandbox, proj.toString(), "/tmp/leaky");
        Result there = cli.run("sandbox", "exec", sandbox, "--", "test", "-e", "/tmp/leaky");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow())
                .isEqualTo("error: symbolic link " + link + " points outside the upload (to /etc/shadow)");
        assertThat(there.exitCode()).as("nothing was sent").isEqualTo(1);
    }

    @Test
    void aDownloadOfLinksLeadingOutOfTheTargetIsRefused() throws Exception {
        // What a hostile agent can make its sandbox's tar send: links that point out of where they land.
        Result setup = cli.run(
                "sandbox",
                "exec",
                sandbox,
                "--",
                "sh",
                "-c",
                "mkdir -p /tmp/hostile/dir && ln -sfn /etc /tmp/hostile/abs && ln -sfn ../../../../../etc /tmp/hostile/dir/up");
        Path target = tmp.resolve("dl");

        Result abs = cli.run("sandbox", "download", sandbox, "/tmp/hostile/abs", target.toString());
        Result climbing = cli.run("sandbox", "download", sandbox, "/tmp/hostile/dir", target.toString());

        assertThat(setup.exitCode()).as(setup.toString()).isZero();
        assertThat(abs.exitCode()).as(abs.toString()).isEqualTo(2);
        assertThat(abs.err()).startsWith("error: refused the archive's entry 'abs': a symbolic link to '/etc'");
        assertThat(climbing.exitCode()).as(climbing.toString()).isEqualTo(2);
        assertThat(climbing.err()).startsWith("error: refused the archive's entry 'dir/up'");
        try (Stream<Path> left = Files.walk(target)) {
            assertThat(left.filter(Files::isSymbolicLink).toList()).isEmpty();
        }
    }

    @Test
    void aMissingRemotePathIsOneLine() {
        Result r = cli.run(
                "sandbox",
                "download",
                sandbox,
                "/tmp/no/such/thing",
                tmp.resolve("x").toString());

        assertThat(r.exitCode()).as(r.toString()).isNotZero();
        assertThat(r.err().lines().toList()).hasSizeLessThanOrEqualTo(2);
        assertThat(r.err()).contains("no such file, or not readable");
    }

    static void write(Path root, String relative, String text) throws Exception {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}

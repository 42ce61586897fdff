package dev.openshell.cli.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.openshell.api.ApiException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile archives from a sandbox never write outside the target directory. */
class SafeExtractorTest {

    @TempDir
    Path tmp;

    Path target;
    Path outside;

    @BeforeEach
    void dirs() throws Exception {
        target = Files.createDirectories(tmp.resolve("target"));
        outside = Files.createDirectories(tmp.resolve("outside"));
    }

    @Test
    void anOrdinaryTreeRoundTripsWithModesAndLinks() throws Exception {
        Path src = tmp.resolve("src/proj");
        Files.createDirectories(src.resolve("bin"));
        Files.writeString(src.resolve("bin/run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(
                src.resolve("bin/run.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Files.write(src.resolve("big.bin"), new byte[3 * 1024 * 1024 + 17]);
        Files.writeString(src.resolve("a-very-long-name-" + "x".repeat(150) + ".txt"), "long");
        Files.createSymbolicLink(src.resolve("link"), Path.of("bin/run.sh"));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter.write(UploadTree.of(src, false), tar);

        int n = new SafeExtractor(target).extract(new ByteArrayInputStream(tar.toByteArray()));

        assertThat(n).isEqualTo(6);
        assertThat(Files.readString(target.resolve("proj/bin/run.sh"))).isEqualTo("#!/bin/sh\necho hi\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(target.resolve("proj/bin/run.sh"))))
                .isEqualTo("rwxr-x---");
        assertThat(Files.size(target.resolve("proj/big.bin"))).isEqualTo(3 * 1024 * 1024 + 17);
        assertThat(target.resolve("proj/a-very-long-name-" + "x".repeat(150) + ".txt"))
                .hasContent("long");
        assertThat(Files.readSymbolicLink(target.resolve("proj/link"))).isEqualTo(Path.of("bin/run.sh"));
    }

    @Test
    void climbingOutWithDotDotIsRefused() {
        for (String name : new String[] {"../evil", "a/../../evil", "a/b/../../../evil", "./../evil"}) {
            byte[] tar = tar(t -> file(t, name, "pwned"));

            assertThatThrownBy(() -> new SafeExtractor(target).extract(new ByteArrayInputStream(tar)))
                    .as(name)
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("refused the archive's entry");
        }
        assertThat(tmp.resolve("evil")).doesNotExist();
    }

    @Test
    void absoluteNamesAreRefused() {
        Path victim = outside.resolve("abs.txt");
        byte[] tar = tar(t -> file(t, victim.toString(), "pwned"));

        assertThatThrownBy(() -> new SafeExtractor(target).extract(new ByteArrayInputStream(tar)))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("an absolute or empty name");
        assertThat(victim).doesNotExist();
    }

    @Test
    void aSymlinkThenAFileThroughItIsRefused() {
        byte[] viaDir = tar(t -> {
            link(t, "d", outside.toString());
            file(t, "d/planted.txt", "pwned");
        });
        byte[] viaRelativeLink = tar(t -> {
            link(t, "sub/up", "../../outside");
            file(t, "sub/up/planted.txt", "pwned");
        });
        byte[] insideThenRetargeted = tar(t -> {
            link(t, "ok", "."); // inside: allowed
            file(t, "ok/fine.txt", "through a link, even one inside, is refused");
        });

        for (byte[] tar : new byte[][] {viaDir, viaRelativeLink, insideThenRetargeted}) {
            assertThatThrownBy(() -> new SafeExtractor(target).extract(new ByteArrayInputStream(tar)))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("refused the archive's entry");
        }
        assertThat(outside.resolve("planted.txt")).doesNotExist();
    }

    @Test
    void aFileOverAnExistingSymlinkDoesNotFollowIt() throws Exception {
        Path victim = Files.writeString(outside.resolve("victim.txt"), "original");
        Files.createSymbolicLink(target.resolve("innocent.txt"), victim);
        byte[] tar = tar(t -> file(t, "innocent.txt", "pwned"));

        assertThatThrownBy(() -> new SafeExtractor(target).extract(new ByteArrayInputStream(tar)))
                .isInstanceOf(ApiException.class);
        assertThat(victim).hasContent("original");
    }

    @Test
    void linksPointingOutsideAreRefused() {
        for (String to : new String[] {
            "/etc/passwd", "../../outside", "../../../..", "x/../../../outside", "../../target-sibling"
        }) {
            byte[] tar = tar(t -> link(t, "a/l", to));

            assertThatThrownBy(() -> new SafeExtractor(target).extract(new ByteArrayInputStream(tar)))
                    .as(to)
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("outside the target directory");
        }
    }

    @Test
    void hardLinksToFilesOutsideAreRefused() throws Exception {
        Path victim = Files.writeString(outside.resolve("hard.txt"), "original");
        byte[] absolute = tar(t -> hardLink(t, "h", victim.toString()));
        byte[] relative = tar(t -> hardLink(t, "h", "../outside/hard.txt"));

        for (byte[] tar : new byte[][] {absolute, relative}) {
            assertThatThrownBy(() -> new SafeExtractor(target).extract(new ByteArrayInputStream(tar)))
                    .isInstanceOf(ApiException.class);
        }
        assertThat(Files.getAttribute(victim, "unix:nlink")).isEqualTo(1);
    }

    @Test
    void devicesAndFifosAreRefusedAndSetIdBitsDropped() throws Exception {
        byte[] device = tar(t -> {
            TarArchiveEntry e = new TarArchiveEntry("dev", TarConstants.LF_CHR);
            e.setDevMajor(1);
            e.setDevMinor(3);
            put(t, e, null);
        });
        byte[] setuid = tar(t -> {
            TarArchiveEntry e = new TarArchiveEntry("suid");
            e.setMode(04755);
            put(t, e, "x");
        });

        assertThatThrownBy(() -> new SafeExtractor(target).extract(new ByteArrayInputStream(device)))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("not a file, directory or link");
        new SafeExtractor(target).extract(new ByteArrayInputStream(setuid));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(target.resolve("suid"))))
                .isEqualTo("rwxr-xr-x");
    }

    interface TarBody {
        void write(TarArchiveOutputStream t) throws Exception;
    }

    static byte[] tar(TarBody body) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
                t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                body.write(t);
            }
            return out.toByteArray();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void file(TarArchiveOutputStream t, String name, String text) throws Exception {
        put(t, new TarArchiveEntry(name, true), text);
    }

    static void link(TarArchiveOutputStream t, String name, String to) throws Exception {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(to);
        put(t, e, null);
    }

    static void hardLink(TarArchiveOutputStream t, String name, String to) throws Exception {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(to);
        put(t, e, null);
    }

    static void put(TarArchiveOutputStream t, TarArchiveEntry e, String text) throws Exception {
        byte[] bytes = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        if (text != null) {
            e.setSize(bytes.length);
        }
        t.putArchiveEntry(e);
        t.write(bytes);
        t.closeArchiveEntry();
    }
}

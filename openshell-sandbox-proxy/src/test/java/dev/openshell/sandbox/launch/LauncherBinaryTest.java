package dev.openshell.sandbox.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherBinaryTest {

    @TempDir
    Path cache;

    @Test
    void usesTheBuiltBinaryInPlaceFromTheClassesDirectory() {
        Path launcher = LauncherBinary.locate(cache);

        assertThat(launcher).isExecutable().hasFileName("openshell-launch");
        assertThat(launcher.toString()).endsWith("native/linux-x86_64/openshell-launch");
        assertThat(cache).isEmptyDirectory();
    }

    @Test
    void extractsOnceWithMode0755UnderAContentAddressedName() throws IOException {
        byte[] binary = "#!/bin/sh\necho fake launcher\n".getBytes();
        Path bin = cache.resolve("openshell/bin");

        Path first = LauncherBinary.extract(binary, bin);
        Object firstInode = Files.getAttribute(first, "unix:ino");
        Path second = LauncherBinary.extract(binary, bin);

        assertThat(first).hasBinaryContent(binary).hasParent(bin);
        assertThat(first.getFileName().toString()).matches("openshell-launch-[0-9a-f]{16}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first)))
                .isEqualTo("rwxr-xr-x");
        assertThat(second).isEqualTo(first);
        assertThat(Files.getAttribute(second, "unix:ino")).isEqualTo(firstInode);
        try (var files = Files.list(bin)) {
            assertThat(files).containsExactly(first);
        }
    }

    @Test
    void differentBuildsGetDifferentFiles() throws IOException {
        Path a = LauncherBinary.extract(new byte[] {1}, cache);
        Path b = LauncherBinary.extract(new byte[] {2}, cache);

        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void cacheDirectoryFollowsXdgCacheHome() {
        assertThat(LauncherBinary.cacheDirectory(Map.of("XDG_CACHE_HOME", "/var/cache/x"), "/home/u"))
                .isEqualTo(Path.of("/var/cache/x/openshell/bin"));
        assertThat(LauncherBinary.cacheDirectory(Map.of(), "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/openshell/bin"));
        // The XDG spec says relative values are invalid and must be ignored.
        assertThat(LauncherBinary.cacheDirectory(Map.of("XDG_CACHE_HOME", "rel"), "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/openshell/bin"));
    }
}

package dev.openshell.sandbox.launch;

import dev.openshell.api.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Finds the native {@code openshell-launch} binary that the Maven build compiles into the
 * classpath under {@code native/linux-x86_64/}.
 *
 * <p>From an exploded classpath (e.g. {@code target/classes}) the file is used in place. From a
 * jar it is extracted once to {@code ${XDG_CACHE_HOME:-~/.cache}/openshell/bin/} under a name
 * carrying a prefix of its SHA-256, so different builds never overwrite each other and a second
 * start reuses the file.
 */
public final class LauncherBinary {

    static final String RESOURCE = "/native/linux-x86_64/openshell-launch";
    private static final String FILE_PREFIX = "openshell-launch-";

    private static volatile Path located;

    private LauncherBinary() {}

    /** The launcher's path, extracting it on first use when running from a jar. */
    public static Path locate() {
        Path path = located;
        if (path == null) {
            synchronized (LauncherBinary.class) {
                path = located;
                if (path == null) {
                    path = locate(cacheDirectory(System.getenv(), System.getProperty("user.home")));
                    located = path;
                }
            }
        }
        return path;
    }

    static Path locate(Path cacheDirectory) {
        if (!"Linux".equals(System.getProperty("os.name")) || !"amd64".equals(System.getProperty("os.arch"))) {
            throw new LaunchException(
                    ErrorCode.LAUNCHER_UNAVAILABLE,
                    "the sandbox launcher is built for linux-x86_64 only, not " + System.getProperty("os.name") + "/"
                            + System.getProperty("os.arch"));
        }
        URL url = LauncherBinary.class.getResource(RESOURCE);
        if (url == null) {
            throw new LaunchException(
                    ErrorCode.LAUNCHER_UNAVAILABLE,
                    "resource " + RESOURCE + " is missing: the native build did not run");
        }
        if ("file".equals(url.getProtocol())) {
            try {
                Path inPlace = Path.of(url.toURI());
                if (Files.isExecutable(inPlace)) {
                    return inPlace;
                }
            } catch (URISyntaxException e) {
                // fall back to extraction
            }
        }
        try (InputStream in = url.openStream()) {
            return extract(in.readAllBytes(), cacheDirectory);
        } catch (IOException e) {
            throw new LaunchException(ErrorCode.LAUNCHER_UNAVAILABLE, "cannot extract the sandbox launcher: " + e, e);
        }
    }

    /** Writes {@code binary} to the cache with mode 0755 unless an identical file is there already. */
    static Path extract(byte[] binary, Path cacheDirectory) throws IOException {
        Path target = cacheDirectory.resolve(FILE_PREFIX + sha256Prefix(binary));
        if (Files.isRegularFile(target) && Files.isExecutable(target) && Files.size(target) == binary.length) {
            return target;
        }
        Files.createDirectories(cacheDirectory);
        // Written under a temporary name and renamed, so a concurrent start never runs half a file.
        Path temp = Files.createTempFile(cacheDirectory, ".openshell-launch-", ".tmp");
        try {
            Files.write(temp, binary);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    static Path cacheDirectory(Map<String, String> env, String userHome) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : Path.of(userHome, ".cache");
        return base.resolve("openshell").resolve("bin");
    }

    private static String sha256Prefix(byte[] binary) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(binary);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}

package dev.openshell.cli.remote;

import dev.openshell.api.ErrorCode;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files a remote host needs to run a gateway, found on this machine: the CLI's own jar ({@code
 * openshell.jar}, which makes the PKI and starts the daemon there), the gateway's jar and the
 * sandbox host's jar (which carries the native launcher), by the name they get on the host.
 */
public record Distribution(String version, Map<String, Path> files) {

    public Distribution {
        files = Map.copyOf(new LinkedHashMap<>(files));
    }

    /** Refuses with the first file that is missing here. */
    public Distribution requireFiles() {
        for (String name : RemoteLayout.FILES) {
            Path file = files.get(name);
            if (file == null || !Files.isRegularFile(file)) {
                throw CliErrors.of(
                        ErrorCode.START_FAILED,
                        "cannot copy " + name + " to the remote host: "
                                + (file == null ? "not found" : file + " is missing"),
                        "build the distribution: ./mvnw -B -q -DskipTests package (or set OPENSHELL_CLI_JAR,"
                                + " OPENSHELL_GATEWAY_JAR, OPENSHELL_SANDBOX_JAR)");
            }
        }
        return this;
    }

    /** The SHA-256 of a file, as {@code sha256sum} prints it. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

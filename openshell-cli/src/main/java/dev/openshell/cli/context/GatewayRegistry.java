package dev.openshell.cli.context;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.SafeText;
import dev.openshell.api.json.ApiJson;
import dev.openshell.api.validation.ResourceNames;
import dev.openshell.bootstrap.pki.PemFiles;
import dev.openshell.cli.support.CliErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;

/**
 * The gateways this CLI knows, like kubectl's contexts: {@code <config>/gateways/<name>/} holds
 * {@code metadata.json} ({@link GatewayEntry}), {@code mtls/ca.crt}, {@code mtls/tls.crt}, {@code
 * mtls/tls.key} (0600) and, for token authentication, {@code token} (0600); {@code
 * <config>/active_gateway} names the one used when no {@code -g} or {@code OPENSHELL_GATEWAY}
 * says otherwise. Directories are 0700. Names are DNS labels, so a name can never leave its
 * directory.
 */
public final class GatewayRegistry {

    static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    private final ConfigPaths paths;

    public GatewayRegistry(ConfigPaths paths) {
        this.paths = paths;
    }

    public ConfigPaths paths() {
        return paths;
    }

    /** {@code <config>/gateways/<name>}. */
    public Path dir(String name) {
        requireName(name);
        return paths.configDir().resolve("gateways").resolve(name);
    }

    /** Where the client bundle of {@code name} lives ({@code ca.crt}, {@code tls.crt}, {@code tls.key}). */
    public Path mtlsDir(String name) {
        return dir(name).resolve("mtls");
    }

    public Path tokenFile(String name) {
        return dir(name).resolve("token");
    }

    /** Every registered gateway, by name; a directory without readable metadata is left out. */
    public List<GatewayEntry> list() {
        Path root = paths.configDir().resolve("gateways");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<GatewayEntry> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.sorted().toList()) {
                String name = d.getFileName().toString();
                if (ResourceNames.violation(name).isEmpty()) {
                    read(name).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(GatewayEntry::name));
        return out;
    }

    public Optional<GatewayEntry> find(String name) {
        if (ResourceNames.violation(name).isPresent()) {
            return Optional.empty();
        }
        return read(name);
    }

    /** The name in {@code active_gateway}, or null. */
    public String activeName() {
        try {
            String name = Files.readString(activeFile(), StandardCharsets.UTF_8).strip();
            return name.isEmpty() ? null : name;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void activate(String name) {
        requireName(name);
        createPrivateDirs(paths.configDir());
        PemFiles.writeAtomically(activeFile(), name + "\n", PUBLIC);
    }

    /**
     * The gateway a command talks to: {@code requested} (from {@code -g} or {@code
     * OPENSHELL_GATEWAY}) when given, else the active one.
     */
    public GatewayEntry resolve(String requested) {
        if (requested != null) {
            return find(requested)
                    .orElseThrow(() -> CliErrors.of(
                            ErrorCode.NOT_FOUND,
                            "no gateway named " + SafeText.quote(requested) + " is registered" + known(),
                            "openshell gateway list shows the registered gateways; add one with openshell gateway"
                                    + " add URL or start one with openshell gateway start"));
        }
        String active = activeName();
        if (active == null) {
            throw CliErrors.of(
                    ErrorCode.NOT_FOUND,
                    list().isEmpty() ? "no gateway is registered" : "no gateway is active" + known(),
                    list().isEmpty()
                            ? "start one with openshell gateway start, or add one with openshell gateway add URL"
                            : "choose one with openshell gateway select NAME, or pass -g NAME");
        }
        return find(active)
                .orElseThrow(() -> CliErrors.of(
                        ErrorCode.NOT_FOUND,
                        "the active gateway " + SafeText.quote(active) + " is no longer registered" + known(),
                        "choose another with openshell gateway select NAME"));
    }

    /** Writes the entry's metadata (creating its directory 0700). */
    public void save(GatewayEntry entry) {
        Path dir = dir(entry.name());
        createPrivateDirs(dir);
        PemFiles.writeAtomically(
                dir.resolve("metadata.json"),
                ApiJson.strict().writerWithDefaultPrettyPrinter().writeValueAsString(entry) + "\n",
                PUBLIC);
    }

    /** Writes {@code text} to {@code file} under the gateway's directory with {@code mode}. */
    public void writeFile(Path file, String text, Set<PosixFilePermission> mode) {
        createPrivateDirs(file.getParent());
        PemFiles.writeAtomically(file, text, mode);
    }

    /** Forgets the gateway: its directory goes, and it is no longer active. */
    public void remove(String name) {
        Path dir = dir(name);
        if (name.equals(activeName())) {
            try {
                Files.deleteIfExists(activeFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        deleteTree(dir);
    }

    public static void requireName(String name) {
        ResourceNames.violation(name).ifPresent(why -> {
            throw CliErrors.usage(
                    "gateway name " + SafeText.quote(name) + ": " + why,
                    "gateway names are DNS labels: openshell, dev, gw-2");
        });
    }

    private Optional<GatewayEntry> read(String name) {
        Path file = paths.configDir().resolve("gateways").resolve(name).resolve("metadata.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            GatewayEntry e = ApiJson.lenient().readValue(Files.readAllBytes(file), GatewayEntry.class);
            return e != null && name.equals(e.name()) && e.endpoint() != null ? Optional.of(e) : Optional.empty();
        } catch (IOException | JacksonException e) {
            return Optional.empty();
        }
    }

    private String known() {
        List<String> names = list().stream().map(GatewayEntry::name).toList();
        return names.isEmpty() ? "" : " (registered: " + String.join(", ", names) + ")";
    }

    private Path activeFile() {
        return paths.configDir().resolve("active_gateway");
    }

    static void createPrivateDirs(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }
}

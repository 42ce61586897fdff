package dev.openshell.cli.forward;

import dev.openshell.api.json.ApiJson;
import dev.openshell.cli.context.GatewayRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The forwards this user started: one JSON file per local port under {@code <config>/forwards/}. */
final class ForwardStore {

    private final GatewayRegistry registry;

    ForwardStore(GatewayRegistry registry) {
        this.registry = registry;
    }

    Path dir() {
        return registry.paths().configDir().resolve("forwards");
    }

    Path logFile(int port) {
        return dir().resolve(port + ".log");
    }

    void save(ForwardRecord r) {
        registry.writeFile(
                dir().resolve(r.localPort() + ".json"),
                ApiJson.strict().writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n",
                PosixFilePermissions.fromString("rw-------"));
    }

    Optional<ForwardRecord> find(int port) {
        Path file = dir().resolve(port + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(ApiJson.lenient().readValue(Files.readString(file), ForwardRecord.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    List<ForwardRecord> all() {
        if (!Files.isDirectory(dir())) {
            return List.of();
        }
        List<ForwardRecord> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir())) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("\\d+\\.json"))
                    .toList()) {
                find(Integer.parseInt(f.getFileName().toString().replace(".json", "")))
                        .ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparingInt(ForwardRecord::localPort));
        return out;
    }

    void remove(int port) {
        try {
            Files.deleteIfExists(dir().resolve(port + ".json"));
            Files.deleteIfExists(logFile(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

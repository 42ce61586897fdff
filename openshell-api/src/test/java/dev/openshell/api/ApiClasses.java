package dev.openshell.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The classes of the module's main code, found on disk so a new record cannot escape the tests. */
final class ApiClasses {

    private ApiClasses() {}

    /** Every class under {@code dev.openshell.api}, nested ones included. */
    static List<Class<?>> all() {
        try {
            Path root = Path.of(ErrorCode.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(p -> p.toString().endsWith(".class"))
                        .map(p -> root.relativize(p).toString())
                        .filter(name -> !name.endsWith("package-info.class"))
                        .map(name -> name.substring(0, name.length() - ".class".length())
                                .replace('/', '.'))
                        .filter(name -> !name.matches(".*\\$\\d+.*")) // anonymous classes
                        .sorted()
                        .<Class<?>>map(ApiClasses::load)
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The records that go over the wire as JSON bodies (not query helpers or client options). */
    static List<Class<?>> wireRecords() {
        return all().stream()
                .filter(Class::isRecord)
                .filter(c -> !c.getPackageName().endsWith(".client")
                        && !c.getPackageName().endsWith(".validation"))
                .toList();
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ApiClasses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.openshell.sandbox.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host programs the supervisor runs as root ({@code ip}, {@code nft}, {@code getent}, {@code
 * useradd}), found in the system directories and never looked up in {@code PATH}: root's {@code
 * PATH} may lack the sbin directories ({@code su} without {@code -}), and a {@code PATH} naming a
 * directory others can write would let them run code as root.
 */
public final class SystemTools {

    /** Where the tools are looked for, in this order. */
    public static final List<Path> DIRECTORIES =
            List.of(Path.of("/usr/sbin"), Path.of("/sbin"), Path.of("/usr/bin"), Path.of("/bin"));

    private SystemTools() {}

    /** The executable {@code name} in {@link #DIRECTORIES}, if there is one. */
    public static Optional<Path> locate(String name) {
        if (name.contains("/")) {
            return Optional.of(Path.of(name));
        }
        return DIRECTORIES.stream()
                .map(dir -> dir.resolve(name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** {@code command} with its program replaced by the path {@link #locate} finds (kept when none). */
    public static List<String> resolved(List<String> command) {
        List<String> out = new java.util.ArrayList<>(command);
        locate(command.getFirst()).ifPresent(p -> out.set(0, p.toString()));
        return out;
    }
}

package dev.openshell.sandbox.supervisor;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.spec.SandboxSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The sandbox state directory's life and permissions: it is root's alone (0700 root:root) while
 * the sandbox runs and when it is kept after the end. No agent needs to pass through it: the agent
 * has its own root, and what it needs from here (the trust bundle, {@code resolv.conf}, a private
 * work directory) the launcher binds into that root while it is still root. {@code /run/openshell}
 * and {@code /run/openshell/sandboxes} are 0711 (traversable, not listable) for host users.
 */
final class StateDirectories {

    private static final String TRAVERSE_ONLY = "rwx--x--x";
    private static final String OWNER_ONLY = "rwx------";

    private StateDirectories() {}

    /**
     * Creates {@code stateDir}: missing parents 0711 (and {@code /run/openshell}, {@code
     * /run/openshell/sandboxes} made 0711 if wider), the directory itself 0700 root:root.
     */
    static void prepare(Path stateDir) throws IOException {
        SandboxStatus.read(stateDir)
                .filter(s -> s.supervisorAlive() && !s.phase().isFinal())
                .ifPresent(s -> {
                    throw new SandboxException(
                            ErrorCode.SANDBOX_EXISTS,
                            "sandbox " + s.id() + " is already running (state " + stateDir + ")");
                });
        refuseForeign(stateDir);
        Path defaultRun = SandboxSpec.SANDBOXES_ROOT.getParent();
        createTraversable(stateDir.getParent());
        if (stateDir.startsWith(defaultRun)) {
            tighten(defaultRun);
            tighten(SandboxSpec.SANDBOXES_ROOT);
        }
        Files.createDirectories(stateDir);
        Files.setAttribute(stateDir, "unix:uid", 0);
        Files.setAttribute(stateDir, "unix:gid", 0);
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString(OWNER_ONLY));
        Files.deleteIfExists(stateDir.resolve(ControlSocket.FILE));
    }

    /**
     * An existing directory is taken over (chown, chmod) only if it is empty or a sandbox's state
     * directory: a {@code state_dir} naming {@code /etc} or someone's home must not be re-owned.
     */
    private static void refuseForeign(Path stateDir) throws IOException {
        if (!Files.isDirectory(stateDir) || Files.exists(stateDir.resolve(SandboxStatus.FILE))) {
            return;
        }
        try (var entries = Files.list(stateDir)) {
            if (entries.findAny().isPresent()) {
                throw new SandboxException(
                        ErrorCode.SPEC_INVALID,
                        "state_dir " + stateDir + " exists, is not empty and holds no sandbox state (no "
                                + SandboxStatus.FILE + "); give a new or empty directory");
            }
        }
    }

    /** A kept state directory after the end: root only. */
    static void lockDown(Path stateDir) throws IOException {
        Files.setAttribute(stateDir, "unix:gid", 0);
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString(OWNER_ONLY));
    }

    /** At the end: the whole directory goes, unless the spec keeps it (then {@link #lockDown}). */
    static void release(Path stateDir, boolean keep) {
        if (keep) {
            lockDownQuietly(stateDir);
        } else {
            StaleSandboxes.deleteRecursively(stateDir);
        }
    }

    /** {@link #lockDown}, for a teardown that must go on whatever happens. */
    static void lockDownQuietly(Path stateDir) {
        try {
            lockDown(stateDir);
        } catch (IOException e) {
            // the directory is gone; nothing left to protect
        }
    }

    private static void createTraversable(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        createTraversable(dir.getParent());
        try {
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(TRAVERSE_ONLY));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // a concurrent start made it
        }
    }

    private static void tighten(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(TRAVERSE_ONLY));
        }
    }
}

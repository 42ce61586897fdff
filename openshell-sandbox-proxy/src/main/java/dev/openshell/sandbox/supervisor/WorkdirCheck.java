package dev.openshell.sandbox.supervisor;

import dev.openshell.api.ErrorCode;
import dev.openshell.sandbox.error.SandboxException;
import dev.openshell.sandbox.launch.LauncherBinary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Whether a host directory can be a sandbox's workdir. The agent writes to it through an idmapped
 * mount that makes it the directory's owner (see {@code openshell-launch --bind-idmapped}), so it
 * must exist, be a directory, not belong to root (the agent would write as root on the host), be
 * writable by its owner, lie on a writable filesystem and one that supports idmapped mounts (the
 * launcher's {@code --probe-idmap} tries). Each failure is one line naming the
 * directory, with code {@code workdir_unusable}.
 */
final class WorkdirCheck {

    private WorkdirCheck() {}

    /**
     * @param dir the host directory
     * @param writable whether the policy lets the agent write it ({@code include_workdir})
     */
    static void check(Path dir, boolean writable) {
        if (!Files.exists(dir)) {
            throw unusable(dir, "does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw unusable(dir, "is not a directory");
        }
        try {
            int uid = (Integer) Files.getAttribute(dir, "unix:uid");
            int gid = (Integer) Files.getAttribute(dir, "unix:gid");
            if (uid == 0) {
                throw unusable(
                        dir,
                        "is owned by root; the agent writes as the directory's owner, so it would write as root:"
                                + " use a directory of an unprivileged user, or no workdir");
            }
            if (gid == 0) {
                throw unusable(
                        dir,
                        "has group root; the agent writes with the directory's group, so files would be root's:"
                                + " chgrp it to an unprivileged group");
            }
            if (writable) {
                checkWritable(dir);
            }
        } catch (IOException e) {
            throw unusable(dir, "cannot be inspected: " + e.getMessage());
        }
        probeIdmap(dir);
    }

    private static void checkWritable(Path dir) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
        if (!mode.contains(PosixFilePermission.OWNER_WRITE) || !mode.contains(PosixFilePermission.OWNER_EXECUTE)) {
            throw unusable(
                    dir,
                    "is not writable by its owner (mode "
                            + java.nio.file.attribute.PosixFilePermissions.toString(mode)
                            + "), so not by the agent either");
        }
        if (Files.getFileStore(dir).isReadOnly()) {
            throw unusable(dir, "is on a read-only filesystem");
        }
    }

    /**
     * Asks the launcher to make (and discard) the idmapped mount, so that a filesystem without
     * support (nfs, fuse, ramfs, ...) fails here, before the sandbox exists, not at the agent's
     * launch. Costs one run of the small launcher (a few ms).
     */
    private static void probeIdmap(Path dir) {
        List<String> command = List.of(LauncherBinary.locate().toString(), "--probe-idmap", dir.toString());
        try {
            Process probe =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            probe.getOutputStream().close();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                throw unusable(dir, "cannot be checked: the launcher's idmap probe timed out");
            }
            if (probe.exitValue() != 0) {
                String prefix = "openshell-launch: --bind-idmapped " + dir + ": ";
                String line = output.lines().reduce((first, last) -> last).orElse("exit " + probe.exitValue());
                throw unusable(
                        dir,
                        "cannot be mounted for the agent: "
                                + (line.startsWith(prefix) ? line.substring(prefix.length()) : line));
            }
        } catch (IOException e) {
            throw unusable(dir, "cannot be checked: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unusable(dir, "cannot be checked: interrupted");
        }
    }

    private static SandboxException unusable(Path dir, String why) {
        return new SandboxException(ErrorCode.WORKDIR_UNUSABLE, "workdir " + dir + " " + why);
    }
}

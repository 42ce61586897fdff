package dev.openshell.policy.model;

import java.util.List;

/**
 * Which paths the agent may read and write (enforced with Landlock by the sandbox launcher; only
 * these paths, the work directory and the sandbox's own {@code /tmp}, {@code /dev}, {@code /proc}
 * and {@code /run} are visible to the agent at all).
 *
 * @param includeWorkdir whether the sandbox work directory is added to {@code readWrite}
 * @param readOnly absolute paths the agent may read (and execute)
 * @param readWrite absolute paths the agent may read and write
 * @param execFromWritable whether files in writable places (the work directory, {@code readWrite},
 *     {@code /tmp}, {@code /dev/shm}) may be executed or loaded as code; off by default, because
 *     code the agent wrote and then loaded into a listed binary (e.g. with {@code LD_PRELOAD})
 *     would act under that binary's network identity
 */
public record FilesystemPolicy(
        boolean includeWorkdir, List<String> readOnly, List<String> readWrite, boolean execFromWritable) {

    /**
     * What a policy without {@code filesystem_policy} gets: the system read-only, the work directory
     * and {@code /tmp} writable, nothing writable executable.
     */
    public static final FilesystemPolicy BASELINE = new FilesystemPolicy(
            true, List.of("/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc"), List.of("/tmp"), false);

    /** The default, {@link #BASELINE}. */
    public static final FilesystemPolicy DEFAULT = BASELINE;

    public FilesystemPolicy {
        readOnly = List.copyOf(readOnly);
        readWrite = List.copyOf(readWrite);
    }

    /** A filesystem policy whose writable paths are not executable. */
    public FilesystemPolicy(boolean includeWorkdir, List<String> readOnly, List<String> readWrite) {
        this(includeWorkdir, readOnly, readWrite, false);
    }
}

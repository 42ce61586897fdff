package dev.openshell.policy;

import java.util.List;

/**
 * Which paths the agent may read and write (enforced with Landlock by the sandbox launcher).
 *
 * @param includeWorkdir whether the sandbox work directory is added to {@code readWrite}
 * @param readOnly absolute paths the agent may read (and execute)
 * @param readWrite absolute paths the agent may read and write
 */
public record FilesystemPolicy(boolean includeWorkdir, List<String> readOnly, List<String> readWrite) {

    public static final FilesystemPolicy DEFAULT = new FilesystemPolicy(true, List.of(), List.of());

    public FilesystemPolicy {
        readOnly = List.copyOf(readOnly);
        readWrite = List.copyOf(readWrite);
    }
}

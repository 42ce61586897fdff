package dev.openshell.sandbox.proxy.identity;

import java.io.IOException;
import java.io.InputStream;

/**
 * The file a process executes, reached through the process ({@code /proc/<pid>/exe}), never by
 * its path (which may name another file by now).
 */
interface Executable {

    /** The version of the executed file, for the hash cache. */
    FileVersion version() throws IOException;

    /** The executed file's content. */
    InputStream open() throws IOException;

    /** Where it is read from, for messages ({@code /proc/<pid>/exe}). */
    String describe();
}

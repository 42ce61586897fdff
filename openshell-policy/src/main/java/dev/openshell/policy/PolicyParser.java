package dev.openshell.policy;

import java.nio.file.Path;

/**
 * Parses and validates policy YAML (schema version 1).
 *
 * <p>Every problem in the document is reported at once in a {@link PolicyValidationException},
 * each naming its YAML path, line and column. Input larger than {@link #MAX_BYTES}, with more
 * than {@link #MAX_ENDPOINTS} endpoints, or with a path longer than {@link #MAX_PATH_LENGTH} is
 * rejected, as is input that is not UTF-8.
 */
public final class PolicyParser {

    public static final int MAX_BYTES = 1 << 20;
    public static final int MAX_ENDPOINTS = 10_000;
    public static final int MAX_PATH_LENGTH = 4096;

    private PolicyParser() {}

    /** Parses a document; {@code source} names it in messages (a file name, or "stdin"). */
    public static Policy parse(byte[] yaml, String source) {
        throw new UnsupportedOperationException("in progress");
    }

    public static Policy parse(String yaml) {
        return parse(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "<string>");
    }

    /** Reads and parses a file; an unreadable or oversized file is a {@link PolicyException}. */
    public static Policy read(Path file) {
        throw new UnsupportedOperationException("in progress");
    }

    /** Validates a policy built in code (e.g. after an update) with the same rules as parsing. */
    public static void validate(Policy policy) {
        throw new UnsupportedOperationException("in progress");
    }
}

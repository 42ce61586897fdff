package dev.openshell.policy;

import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyLimits;
import dev.openshell.policy.model.PolicyValidationException;
import dev.openshell.policy.validate.PolicyChecker;
import dev.openshell.policy.validate.Problems;
import dev.openshell.policy.validate.SourceMap;
import dev.openshell.policy.yaml.PolicyDocumentReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Parses and validates policy YAML (schema version 1).
 *
 * <p>Every problem in the document is reported at once in a {@link PolicyValidationException},
 * each naming its YAML path, line and column. Input larger than {@link #MAX_BYTES}, with more
 * than {@link #MAX_ENDPOINTS} endpoints, or with a path longer than {@link #MAX_PATH_LENGTH} is
 * rejected, as is input that is not UTF-8. The returned policy is canonical: hosts lower-case
 * (punycode, no trailing dot), ports sorted and distinct, paths normalised, methods upper-case,
 * {@code allowed_ips} as {@code network/prefix}.
 */
public final class PolicyParser {

    /** The largest document accepted, in bytes ({@link PolicyLimits#MAX_BYTES}). */
    public static final int MAX_BYTES = PolicyLimits.MAX_BYTES;

    /** The most endpoints a policy may have ({@link PolicyLimits#MAX_ENDPOINTS}). */
    public static final int MAX_ENDPOINTS = PolicyLimits.MAX_ENDPOINTS;

    /** The longest path or name accepted ({@link PolicyLimits#MAX_PATH_LENGTH}). */
    public static final int MAX_PATH_LENGTH = PolicyLimits.MAX_PATH_LENGTH;

    /** Error code of {@link #read(Path)} when the file cannot be read. */
    public static final String CODE_UNREADABLE = "policy_unreadable";

    private PolicyParser() {}

    /** Parses a document; {@code source} names it in messages (a file name, or "stdin"). */
    public static Policy parse(byte[] yaml, String source) {
        return PolicyDocumentReader.read(yaml, source);
    }

    public static Policy parse(String yaml) {
        return parse(yaml.getBytes(StandardCharsets.UTF_8), "<string>");
    }

    /** Reads and parses a file; an unreadable or oversized file is a {@link PolicyException}. */
    public static Policy read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // Read one byte past the limit so an oversized file is rejected without loading it whole.
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new PolicyException(CODE_UNREADABLE, "policy file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new PolicyException(CODE_UNREADABLE, "cannot read policy file " + file + ": " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    /**
     * Validates a policy built in code (e.g. after an update) with the same rules as parsing.
     * Because the engine uses a policy as-is, values must also be in canonical form (see {@link
     * #normalize(Policy)}). Errors carry the YAML path and line 0.
     *
     * @throws PolicyValidationException listing every problem
     */
    public static void validate(Policy policy) {
        Problems problems = new Problems(SourceMap.empty(), true);
        PolicyChecker.check(policy, problems);
        if (!problems.isEmpty()) {
            throw new PolicyValidationException(problems.sorted());
        }
    }

    /**
     * Validates a policy built in code and returns its canonical form (what parsing the same
     * content would give): hosts canonicalised, ports sorted and distinct, paths normalised,
     * methods upper-case, {@code allowed_ips} as {@code network/prefix}.
     *
     * @throws PolicyValidationException listing every problem that normalising cannot fix
     */
    public static Policy normalize(Policy policy) {
        Problems problems = new Problems(SourceMap.empty(), false);
        Policy canonical = PolicyChecker.check(policy, problems);
        if (!problems.isEmpty()) {
            throw new PolicyValidationException(problems.sorted());
        }
        return canonical;
    }
}

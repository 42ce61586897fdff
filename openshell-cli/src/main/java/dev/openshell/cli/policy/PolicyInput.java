package dev.openshell.cli.policy;

import dev.openshell.policy.Policy;
import dev.openshell.policy.PolicyError;
import dev.openshell.policy.PolicyException;
import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.PolicyValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A policy named on the command line: a file, or {@code -} for standard input, loaded into a
 * {@link Policy} or the list of everything wrong with it.
 *
 * @param name how messages name the input: the argument as given, or {@code <stdin>}
 * @param policy the valid policy, or {@code null}
 * @param errors every problem found (empty when {@code policy} is set)
 * @param text the input as text, or null when it could not be read
 */
record PolicyInput(String name, Policy policy, List<PolicyError> errors, String text) {

    /** The argument that means standard input. */
    static final Path STDIN = Path.of("-");

    PolicyInput {
        errors = List.copyOf(errors);
    }

    /** Reads and validates {@code argument}; never throws for bad input. */
    static PolicyInput load(Path argument, InputStream stdin) {
        boolean fromStdin = STDIN.equals(argument);
        String name = fromStdin ? "<stdin>" : argument.toString();
        byte[] bytes;
        try (InputStream in = fromStdin ? nonClosing(stdin) : Files.newInputStream(argument)) {
            // One byte over the limit is enough for the parser to reject an oversized document
            // without this process reading all of it.
            bytes = in.readNBytes(PolicyParser.MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return failed(name, "no such file");
        } catch (AccessDeniedException e) {
            return failed(name, "permission denied");
        } catch (IOException e) {
            return failed(name, "cannot read: " + e.getMessage());
        }
        return parse(name, bytes);
    }

    /** Validates {@code bytes} read from {@code name}. */
    static PolicyInput parse(String name, byte[] bytes) {
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        try {
            return new PolicyInput(name, PolicyParser.parse(bytes, name), List.of(), text);
        } catch (PolicyValidationException e) {
            return new PolicyInput(name, null, e.errors(), text);
        } catch (PolicyException e) {
            return new PolicyInput(name, null, List.of(new PolicyError("", 0, 0, e.getMessage())), text);
        }
    }

    boolean valid() {
        return policy != null;
    }

    /** {@code FILE:LINE:COLUMN: PATH: MESSAGE}, leaving out what the error does not know. */
    String describe(PolicyError error) {
        StringBuilder sb = new StringBuilder(name);
        if (error.line() > 0) {
            sb.append(':').append(error.line()).append(':').append(error.column());
        }
        sb.append(": ");
        if (!error.path().isEmpty()) {
            sb.append(error.path()).append(": ");
        }
        return sb.append(error.message()).toString();
    }

    private static PolicyInput failed(String name, String message) {
        return new PolicyInput(name, null, List.of(new PolicyError("", 0, 0, message)), null);
    }

    private static InputStream nonClosing(InputStream in) {
        return new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // standard input belongs to the caller
            }
        };
    }
}

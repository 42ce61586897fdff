package dev.openshell.cli.policy;

import dev.openshell.policy.PolicyParser;
import dev.openshell.policy.model.Policy;
import dev.openshell.policy.model.PolicyError;
import dev.openshell.policy.model.PolicyException;
import dev.openshell.policy.model.PolicyValidationException;
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
 * @param yaml the document as read, or {@code null} when it could not be read
 */
public record PolicyInput(String name, Policy policy, List<PolicyError> errors, String yaml) {

    /** The argument that means standard input. */
    static final Path STDIN = Path.of("-");

    public PolicyInput {
        errors = List.copyOf(errors);
    }

    /** Reads and validates {@code argument}; never throws for bad input. */
    public static PolicyInput load(Path argument, InputStream stdin) {
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
        String yaml = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        try {
            return new PolicyInput(name, PolicyParser.parse(bytes, name), List.of(), yaml);
        } catch (PolicyValidationException e) {
            return new PolicyInput(name, null, e.errors(), yaml);
        } catch (PolicyException e) {
            return new PolicyInput(name, null, List.of(new PolicyError("", 0, 0, e.getMessage())), yaml);
        }
    }

    public boolean valid() {
        return policy != null;
    }

    /** {@code FILE:LINE:COLUMN: PATH: MESSAGE}, leaving out what the error does not know. */
    public String describe(PolicyError error) {
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

    /** Every error, one line each as {@link #describe} gives it, then {@code error: NAME is not a valid policy (N errors)}. */
    public void report(java.io.PrintWriter out, java.io.PrintWriter err) {
        errors.forEach(e -> out.println(describe(e)));
        out.flush();
        err.println("error: " + name + " is not a valid policy (" + errors.size() + " error"
                + (errors.size() == 1 ? "" : "s") + ")");
        err.flush();
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

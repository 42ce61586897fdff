package dev.openshell.api.json;

import dev.openshell.api.ErrorCode;
import dev.openshell.api.FieldError;
import dev.openshell.api.Problem;
import dev.openshell.api.SafeText;
import dev.openshell.api.validation.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * Turns a failure to read a request body into the problem the gateway answers: the field it is
 * about (in the request's own spelling, {@code operations[1].port}), what is wrong in one line,
 * and no Java class names. Malformed JSON is {@code bad_request}, an unknown field {@code
 * unknown_field}, an over-long string or too-deep nesting {@code payload_too_large}, a wrong
 * value {@code validation_failed}.
 */
public final class JsonProblems {

    private static final String BODY = "(body)";

    private JsonProblems() {}

    /** The problem for {@code e}, thrown while {@link ApiJson#strict()} read a request. */
    public static Problem of(JacksonException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof StreamConstraintsException c) {
                return of(c); // a limit hit inside a value: databind wraps it
            }
        }
        return switch (e) {
            case UnrecognizedPropertyException u -> unknownField(u);
            case StreamConstraintsException c ->
                Problem.of(
                        ErrorCode.PAYLOAD_TOO_LARGE,
                        "the request exceeds a limit: " + firstLine(c.getOriginalMessage()));
            case StreamReadException r ->
                Problem.of(ErrorCode.BAD_REQUEST, "malformed JSON" + at(r) + ": " + firstLine(r.getOriginalMessage()));
            case ValueInstantiationException v -> refused(v);
            case InvalidTypeIdException t -> invalid(t, "unknown type " + SafeText.quote(t.getTypeId()));
            case InvalidNullException n -> invalid(n, "must not be null");
            case InvalidFormatException f -> invalid(f, wrongValue(f));
            case MismatchedInputException m -> mismatch(m);
            case InvalidDefinitionException d ->
                Problem.of(
                        ErrorCode.INTERNAL,
                        "the server cannot read this request type: " + firstLine(d.getOriginalMessage()));
            default -> Problem.of(ErrorCode.BAD_REQUEST, "unreadable request: " + firstLine(e.getOriginalMessage()));
        };
    }

    /** The field path of {@code e} in JSON spelling: {@code labels.team}, {@code command[2]}. */
    public static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(SafeText.oneLine(ref.getPropertyName(), SafeText.QUOTE_LIMIT));
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? BODY : out.toString();
    }

    private static Problem unknownField(UnrecognizedPropertyException u) {
        String name = u.getPropertyName();
        String detail = "unknown field " + SafeText.quote(name);
        String suggestion = closest(name, u.getKnownPropertyIds());
        if (suggestion != null) {
            detail += "; did you mean '" + suggestion + "'?";
        }
        String field = path(u);
        return Problem.of(ErrorCode.UNKNOWN_FIELD, field + ": " + detail)
                .withErrors(List.of(new FieldError(field, detail)));
    }

    private static Problem invalid(JacksonException e, String message) {
        return Problem.invalid(List.of(new FieldError(path(e), message)));
    }

    private static Problem refused(ValueInstantiationException v) {
        for (Throwable t = v.getCause(); t != null; t = t.getCause()) {
            if (t instanceof InvalidFieldException f) {
                String at = path(v);
                String field = at.equals(BODY) ? f.field() : at + "." + f.field();
                return Problem.invalid(List.of(new FieldError(field, SafeText.oneLine(f.reason(), 300))));
            }
        }
        return invalid(v, rootMessage(v));
    }

    private static Problem mismatch(MismatchedInputException m) {
        Class<?> target = m.getTargetType();
        if (target == Duration.class) {
            return invalid(m, firstLine(m.getOriginalMessage()));
        }
        if (m.getPath().isEmpty() && firstLine(m.getOriginalMessage()).contains("end-of-input")) {
            return Problem.of(ErrorCode.BAD_REQUEST, "the request body is empty");
        }
        return invalid(m, "expected " + kind(target));
    }

    private static String wrongValue(InvalidFormatException f) {
        Class<?> target = f.getTargetType();
        String value = f.getValue() == null ? "null" : SafeText.quote(String.valueOf(f.getValue()));
        if (target != null && target.isEnum()) {
            return value + " is not one of "
                    + Stream.of(target.getEnumConstants())
                            .map(c -> ApiJson.strict().writeValueAsString(c).replace("\"", ""))
                            .collect(Collectors.joining(", "));
        }
        return value + " is not " + kind(target);
    }

    private static String kind(Class<?> target) {
        if (target == null) {
            return "another kind of value";
        }
        if (target == String.class) {
            return "a string";
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return "an integer";
        }
        if (target == double.class || target == Double.class || Number.class.isAssignableFrom(target)) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == Instant.class) {
            return "an ISO-8601 time such as 2026-01-01T12:00:00Z";
        }
        if (target.isEnum()) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord() || target.isInterface()) {
            return "an object";
        }
        return "another kind of value";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "invalid value" : firstLine(root.getMessage());
    }

    private static String at(StreamReadException r) {
        return r.getLocation() == null || r.getLocation().getLineNr() < 1
                ? ""
                : " at line " + r.getLocation().getLineNr() + ", column "
                        + r.getLocation().getColumnNr();
    }

    /** The first line of a Jackson message, terminal-safe, without the source excerpt Jackson appends. */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return SafeText.oneLine(nl < 0 ? message : message.substring(0, nl), 300);
    }

    private static String closest(String name, Collection<Object> known) {
        if (name == null || known == null) {
            return null;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Object candidate : known) {
            String k = String.valueOf(candidate);
            int d = distance(name, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
    }

    /** Levenshtein distance, bounded so a hostile 1 MiB field name costs nothing. */
    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

package dev.openshell.api.validation;

/**
 * A record refused a field while being built (a null in a list, say). Reading JSON, the problem
 * names the field by the path the JSON reader was at plus {@link #field()}.
 */
public final class InvalidFieldException extends IllegalArgumentException {

    private final String field;
    private final String reason;

    public InvalidFieldException(String field, String reason) {
        super(field + " " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The field, relative to the record that refused it ({@code labels.team}, {@code command[1]}). */
    public String field() {
        return field;
    }

    /** What is wrong with it. */
    public String reason() {
        return reason;
    }
}

package dev.openshell.policy.model;

/**
 * One validation error.
 *
 * @param path the YAML path, e.g. {@code network_policies.gh.endpoints[1].host}; empty for the
 *     document itself
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param message what is wrong and what would be valid
 */
public record PolicyError(String path, int line, int column, String message) {

    /** {@code path (line L, column C): message}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!path.isEmpty()) {
            sb.append(path);
        } else {
            sb.append("<document>");
        }
        if (line > 0) {
            sb.append(" (line ").append(line).append(", column ").append(column).append(')');
        }
        return sb.append(": ").append(message).toString();
    }
}

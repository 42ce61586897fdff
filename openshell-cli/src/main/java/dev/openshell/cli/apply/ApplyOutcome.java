package dev.openshell.cli.apply;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What {@code openshell apply} did (or, with {@code --dry-run}, would do): its {@code -o json}
 * and {@code -o yaml} shape.
 *
 * @param set the apply file's name, the value of its sandboxes' {@code openshell.dev/apply} label
 * @param dryRun whether nothing was written
 * @param changes one entry per object and step, in the order they were carried out
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApplyOutcome(String set, boolean dryRun, List<Entry> changes) {

    /**
     * @param result {@code created}, {@code replaced}, {@code updated}, {@code unchanged}, {@code
     *     drifted}, {@code deleted}, {@code kept} or {@code failed} (with {@code --dry-run}: the
     *     same words for what would happen)
     * @param detail one line: what changed, why it could not, or the failure
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String kind, String name, String result, String detail) {}
}

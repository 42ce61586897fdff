package dev.openshell.cli.inference;

import dev.openshell.api.inference.InferenceRoute;
import dev.openshell.api.validation.DurationText;
import dev.openshell.cli.output.Table;

/** Routes as a table. */
final class InferenceText {

    private InferenceText() {}

    static Table table(Iterable<InferenceRoute> routes) {
        Table t = new Table("NAME", "PROVIDER", "MODEL", "PRIVACY", "TIMEOUT", "COST IN/OUT PER 1M");
        for (InferenceRoute r : routes) {
            t.row(
                    r.name(),
                    r.provider(),
                    r.model(),
                    r.effectivePrivacy().wire(),
                    r.timeout() == null ? "default" : DurationText.format(r.timeout()),
                    r.cost() == null
                            ? ""
                            : price(r.cost().inputPerMillionTokens()) + " / "
                                    + price(r.cost().outputPerMillionTokens()));
        }
        return t;
    }

    private static String price(java.math.BigDecimal p) {
        return p == null ? "0" : p.toString();
    }
}

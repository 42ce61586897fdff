package dev.openshell.api.sandbox;

import dev.openshell.api.SafeText;
import dev.openshell.api.validation.Violations;

/**
 * Image references ({@code registry:5000/team/agent:1.2@sha256:...}), checked only as far as
 * safety needs: bounded, a letter or digit first (never an option to some command), and only the
 * characters references are made of. The registry judges the rest.
 */
final class ImageReferences {

    private ImageReferences() {}

    static void check(Violations v, String field, String image, int max) {
        if (image == null) {
            return;
        }
        if (image.isEmpty() || image.length() > max) {
            v.add(field, "an image reference has 1 to " + max + " characters");
            return;
        }
        if (!Character.isLetterOrDigit(image.charAt(0)) || image.charAt(0) > 0x7f) {
            v.add(field, SafeText.quote(image) + " must start with a letter or digit");
            return;
        }
        for (int i = 0; i < image.length(); i++) {
            char c = image.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || ".-_/:@+".indexOf(c) >= 0;
            if (!ok) {
                v.add(
                        field,
                        SafeText.quote(image) + " has " + SafeText.quote(String.valueOf(c)) + " at position " + (i + 1)
                                + ", which no image reference contains");
                return;
            }
        }
    }
}

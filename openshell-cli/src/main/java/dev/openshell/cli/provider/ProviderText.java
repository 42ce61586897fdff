package dev.openshell.cli.provider;

import dev.openshell.api.SafeText;
import dev.openshell.api.provider.Provider;

/** A provider in a terminal: never a credential value (the read shape has none). */
final class ProviderText {

    private ProviderText() {}

    static String details(Provider p) {
        StringBuilder b = new StringBuilder();
        line(b, "name", p.name());
        line(b, "type", p.type());
        if (p.baseUrl() != null) {
            line(b, "base url", p.baseUrl());
        }
        if (p.protocol() != null) {
            line(b, "protocol", p.protocol().wire());
        }
        line(b, "credentials", String.join(", ", p.credentialKeys()) + " (values are write-only)");
        line(b, "created", String.valueOf(p.createdAt()));
        if (p.updatedAt() != null) {
            line(b, "updated", p.updatedAt().toString());
        }
        return b.toString();
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(String.format("%-12s %s%n", key + ":", SafeText.oneLine(value, 2000)));
    }
}

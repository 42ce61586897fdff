package dev.openshell.api.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.SafeText;
import dev.openshell.api.validation.EnvironmentRules;
import dev.openshell.api.validation.ResourceNames;
import dev.openshell.api.validation.TextRules;
import dev.openshell.api.validation.Violations;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Creates ({@code POST /api/v1/providers}) or replaces ({@code PUT /api/v1/providers/{name}}) a
 * provider. The only shape that carries credential values; {@link #toString()} never shows them.
 *
 * @param credentials credential name → secret value. Names follow environment variable rules;
 *     values are one line of printable ASCII (a line break in a value would let it forge headers
 *     when the router injects it)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderRequest(
        String name, String type, String baseUrl, ProviderProtocol protocol, Map<String, String> credentials) {

    public static final int MAX_CREDENTIALS = 32;
    public static final int MAX_CREDENTIAL_LENGTH = 16 * 1024;
    public static final int MAX_URL_LENGTH = 2048;

    public ProviderRequest {
        credentials = TextRules.copyOf("credentials", credentials);
    }

    /** Throws a {@code validation_failed} problem listing every invalid field. Messages never quote a credential value. */
    public void validate() {
        Violations v = new Violations();
        v.check("name", ResourceNames.violation(name));
        if (type == null) {
            v.add("type", "is required (e.g. openai, anthropic, github)");
        } else {
            v.check("type", ResourceNames.violation(type));
        }
        if (baseUrl != null) {
            checkBaseUrl(v, baseUrl);
        }
        if (credentials.isEmpty()) {
            v.add("credentials", "at least one credential is required");
        } else if (credentials.size() > MAX_CREDENTIALS) {
            v.add("credentials", credentials.size() + " credentials; at most " + MAX_CREDENTIALS);
        }
        for (Map.Entry<String, String> c : credentials.entrySet()) {
            String field = "credentials." + SafeText.oneLine(c.getKey(), SafeText.QUOTE_LIMIT);
            v.check(field, EnvironmentRules.nameViolation(c.getKey()));
            v.check(field, CredentialValues.violation(c.getValue(), MAX_CREDENTIAL_LENGTH));
        }
        v.throwIfAny();
    }

    /** Credential values are left out. */
    @Override
    public String toString() {
        return "ProviderRequest[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", protocol=" + protocol
                + ", credentials=" + new TreeSet<>(credentials.keySet()) + "]";
    }

    private static void checkBaseUrl(Violations v, String baseUrl) {
        if (baseUrl.length() > MAX_URL_LENGTH) {
            v.add("base_url", baseUrl.length() + " characters; at most " + MAX_URL_LENGTH);
            return;
        }
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            v.add("base_url", SafeText.quote(baseUrl) + " is not a URL: " + SafeText.oneLine(e.getReason(), 100));
            return;
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
            v.add("base_url", "must be an http or https URL");
        } else if (uri.getRawAuthority() == null || uri.getHost() == null) {
            v.add("base_url", "must name a host");
        } else if (uri.getRawUserInfo() != null) {
            // The base URL is returned by every read; a secret in it would leak.
            v.add("base_url", "must not carry a user name or password; put secrets in credentials");
        } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            v.add("base_url", "must not have a query or fragment");
        }
    }
}

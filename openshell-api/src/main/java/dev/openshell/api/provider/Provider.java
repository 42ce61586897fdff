package dev.openshell.api.provider;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.openshell.api.validation.TextRules;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * A provider as the gateway reports it: a named credential bundle. It lists the credential
 * <em>keys</em> only; the values are write-only ({@link ProviderRequest}) and no read shape has a
 * field for them.
 *
 * @param type what kind of service ({@code openai}, {@code anthropic}, {@code github}, ...)
 * @param baseUrl where its API lives; absent for credential-only providers
 * @param protocol for inference providers: the API shape
 * @param credentialKeys the names of the credentials it holds ({@code OPENAI_API_KEY})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provider(
        String name,
        String type,
        String baseUrl,
        ProviderProtocol protocol,
        List<String> credentialKeys,
        Instant createdAt,
        Instant updatedAt,
        String resourceVersion) {

    public Provider {
        credentialKeys = TextRules.copyOf("credential_keys", credentialKeys);
    }
}

package dev.openshell.cli.provider;

import dev.openshell.api.provider.ProviderProtocol;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The provider types {@code --from-existing} knows: which environment variables hold their
 * credentials (the names the sandbox gets them under too), and their usual base URL and protocol.
 */
public final class KnownProviders {

    /** One known type. */
    public record Type(String name, List<String> envVars, String baseUrl, ProviderProtocol protocol) {}

    private static final Map<String, Type> TYPES = Map.of(
            "openai",
            new Type("openai", List.of("OPENAI_API_KEY"), "https://api.openai.com/v1", ProviderProtocol.OPENAI),
            "anthropic",
            new Type(
                    "anthropic", List.of("ANTHROPIC_API_KEY"), "https://api.anthropic.com", ProviderProtocol.ANTHROPIC),
            "nvidia",
            new Type(
                    "nvidia",
                    List.of("NVIDIA_API_KEY", "NGC_API_KEY"),
                    "https://integrate.api.nvidia.com/v1",
                    ProviderProtocol.OPENAI),
            "github",
            new Type("github", List.of("GITHUB_TOKEN", "GH_TOKEN"), "https://api.github.com", null),
            "gitlab",
            new Type("gitlab", List.of("GITLAB_TOKEN"), "https://gitlab.com/api/v4", null),
            "huggingface",
            new Type("huggingface", List.of("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"), "https://huggingface.co", null),
            "openrouter",
            new Type(
                    "openrouter",
                    List.of("OPENROUTER_API_KEY"),
                    "https://openrouter.ai/api/v1",
                    ProviderProtocol.OPENAI),
            "mistral",
            new Type("mistral", List.of("MISTRAL_API_KEY"), "https://api.mistral.ai/v1", ProviderProtocol.OPENAI),
            "gemini",
            new Type(
                    "gemini",
                    List.of("GEMINI_API_KEY", "GOOGLE_API_KEY"),
                    "https://generativelanguage.googleapis.com",
                    null));

    private KnownProviders() {}

    public static Optional<Type> type(String name) {
        return Optional.ofNullable(TYPES.get(name));
    }

    /** The known type names, sorted. */
    public static List<String> names() {
        return TYPES.keySet().stream().sorted().toList();
    }
}
